"""The dashboard's plain parts: URL round trip of the filters, value formatting, chart functions,
the official table layout and the upload checks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics import fields
from analytics.dashboard import charts, labels, report_tables, uploads
from analytics.dashboard.filters import DATASETS, KINDS, LEVELS, Filters, from_query
from analytics.dashboard.metrics import METRICS, fmt

YEARS = list(range(2019, 2026))
names = st.none() | st.text(alphabet="甲乙丙丁省市县区", min_size=1, max_size=6)


@given(
    y=st.tuples(st.sampled_from(YEARS), st.sampled_from(YEARS)).map(sorted),
    province=names, city=names, county=names,
    levels=st.lists(st.sampled_from(list(LEVELS)), unique=True),
    kinds=st.lists(st.sampled_from(list(KINDS)), unique=True),
    datasets=st.lists(st.sampled_from(list(DATASETS)), unique=True, min_size=1),
)
def test_filters_survive_the_url(y, province, city, county, levels, kinds, datasets):
    f = Filters(y[0], y[1], province, city, county, levels, kinds, datasets)
    back = from_query(f.to_query(), YEARS)
    assert sorted(back.datasets) == sorted(f.datasets)
    assert (back.year_from, back.year_to, back.province, back.city, back.county) == (
        f.year_from, f.year_to, f.province, f.city, f.county)
    assert back.levels == levels and back.kinds == kinds


def test_malformed_url_values_fall_back_to_everything():
    f = from_query({"years": "1999-3000", "level": "city,evil';--", "dataset": "demo,x"}, YEARS)
    assert (f.year_from, f.year_to) == (2019, 2025)
    assert f.levels == ["city"] and f.datasets == ["demo"]
    assert from_query({"years": "abc"}, YEARS).year_to == 2025


@pytest.mark.parametrize("key", list(METRICS))
def test_undefined_metric_is_a_dash_never_zero(key):
    assert fmt(key, None) == "—"
    assert fmt(key, float("nan")) == "—"
    assert fmt(key, 0) not in ("—", "")


def test_rate_and_count_formats():
    assert fmt("denial_rate", 0.0744) == "7.4%"
    assert fmt("applications", 12345) == "12,345"


def test_chart_functions_build_figures_from_small_frames():
    trend = pd.DataFrame({"year": [2019, 2020, 2021, 2022] * 2, "grp": ["甲"] * 4 + ["乙"] * 4,
                          "value": [0.1, 0.2, 0.3, 0.25, 0.4, 0.35, 0.3, 0.2]})
    fig = charts.trend(trend, "denial_rate", boundary=True)
    assert isinstance(fig, go.Figure) and len(fig.data) == 2
    assert any(s.x0 == charts.TEMPLATE_BOUNDARY for s in fig.layout.shapes)
    multiples = charts.small_multiples(trend, "denial_rate", boundary=True)
    assert len(multiples.data) == 2

    ranked = pd.DataFrame({"name": ["甲", "乙"], "value": [0.5, 0.2], "peer_median": [0.3, 0.3]})
    fig = charts.ranking(ranked, "grant_rate", median_col="peer_median")
    assert [t.type for t in fig.data] == ["bar", "scatter"]

    q = pd.DataFrame({"grp": ["city"], "p10": [0.1], "p25": [0.2], "p50": [0.3], "p75": [0.4], "p90": [0.5]})
    pts = pd.DataFrame({"grp": ["city"], "value": [0.45], "name": ["甲"]})
    fig = charts.distribution(q, "grant_rate", pts, group_labels=LEVELS)
    assert list(fig.data[0].x) == ["市级"] and fig.data[1].text[0] == "甲"

    links = pd.DataFrame({"source": ["自然人", "自然人"], "target": ["予以公开", "不予公开"], "value": [5, 2]})
    fig = charts.sankey(links)
    assert list(fig.data[0].node.label) == ["自然人", "予以公开", "不予公开"]

    grid = pd.DataFrame({"name": ["甲", "甲"], "year": [2019, 2021], "status": [1, 2]})
    fig = charts.coverage_grid(grid, range(2019, 2022))
    assert fig.data[0].z.tolist() == [[1, 0, 2]]


def test_official_layout_of_table_3_and_4():
    cells = pd.DataFrame([
        {"tbl": "applications", "row_key": "new_received", "col_key": "total", "value": 12.0, "raw": "12",
         "kind": "number", "src": "page 3"},
        {"tbl": "applications", "row_key": "new_received", "col_key": "natural_person", "value": None,
         "raw": "", "kind": "blank", "src": "page 3"},
        {"tbl": "review_litigation", "row_key": "review", "col_key": "corrected", "value": 22.0,
         "raw": "22（其中撤销1件）", "kind": "text", "src": "page 4"},
        {"tbl": "active_disclosure", "row_key": "normative_issued", "col_key": "value", "value": 3.0, "raw": "3",
         "kind": "number", "src": "page 2"},
        {"tbl": "processing_fees", "row_key": "fee_collected", "col_key": "value", "value": 100.0, "raw": "100",
         "kind": "number", "src": "line 40"},
    ])
    t3 = report_tables.applications_table(cells)
    assert list(t3["项目"]) == [fields.label("applications_row", "new_received")]
    assert t3.iloc[0]["总计"] == "12" and t3.iloc[0]["自然人"] == ""
    t4 = report_tables.review_table(cells)
    assert t4.iloc[0]["结果纠正"] == "22（其中撤销1件）"
    t2 = report_tables.active_table(cells)
    assert t2.iloc[0]["本年制发件数"] == "3"
    sources = report_tables.cell_sources(cells)
    assert list(sources["来源位置"]) == ["第 3 页", "第 3 页", "第 4 页", "第 2 页", "第 40 行"]
    assert list(sources.iloc[-1][["表", "行", "列"]]) == ["信息处理费", fields.label("fees", "fee_collected"), ""]


@pytest.mark.parametrize("stored, shown", [
    ("page 12", "第 12 页"),
    ("line 120, page 2", "第 2 页第 120 行"),
    ("line 7", "第 7 行"),
    ("table 2 r5 c3", "第 2 个表格第 5 行第 3 列"),
    ("table 1 r4", "第 1 个表格第 4 行"),
    ("paragraph 9", "第 9 段"),
    ("file", "全文"),
    ("第 3 页", "第 3 页"),  # a pointer of another shape is shown as stored
])
def test_source_pointers_are_shown_in_chinese(stored, shown):
    assert labels.where_zh(stored) == shown


def test_parse_warnings_table_has_chinese_headings():
    frame = labels.warning_frame([{"code": "pdf_repaired", "message": "PDF 已损坏并经过修复", "where": "file"},
                                  {"code": "row_missing", "message": "表3 未读到行 granted", "where": ""}])
    assert list(frame.columns) == ["代码", "说明", "位置"]
    assert frame.to_dict("records")[0] == {"代码": "pdf_repaired", "说明": "PDF 已损坏并经过修复", "位置": "全文"}
    assert list(frame["代码"]) == ["pdf_repaired", "row_missing"]  # codes stay identifiers


def test_uploads_are_checked_by_content_and_stored_by_hash(tmp_path):
    png = uploads.accept("report.pdf", b"GIF89a" + bytes(32), folder=tmp_path)  # a format not read
    assert not png.ok and png.error and "\n" not in png.error
    assert list(tmp_path.iterdir()) == []  # refused before storing
    empty = uploads.accept("a.txt", b"", folder=tmp_path)
    assert not empty.ok
    text = "某某局2023年政府信息公开工作年度报告\n这不是一份有表格的年度报告。\n".encode()
    other = uploads.accept("../../etc/passwd", text, folder=tmp_path)
    stored = list(tmp_path.iterdir())
    assert len(stored) == 1 and stored[0].name == f"{other.sha256}.text"
    assert stored[0].parent == tmp_path


def test_manifest_overrides_agency_and_year():
    manifest = uploads.read_manifest("path,agency,year,province,level,kind\nx/报告.txt,甲局,2022,乙省,city,department\n"
                                     .encode("utf-8-sig"))
    up = uploads.Upload(name="报告.txt", sha256="0", size=1, record={"agency": "?", "year": 2021})
    uploads.apply_manifest(up, manifest)
    assert up.record["agency"] == "甲局" and up.record["year"] == 2022
    assert uploads.agency_info([up]) == {"甲局": {"province": "乙省", "level": "city", "kind": "department"}}
    with pytest.raises(Exception) as exc:
        uploads.read_manifest(b"name,year\n")
    assert "path" in str(exc.value)


def test_spread_keeps_at_most_the_limit_along_the_whole_range():
    df = pd.DataFrame({"den": range(5000, 0, -1)})
    picked = charts.spread(df, "den", limit=100)
    assert len(picked) == 100
    assert picked["den"].min() == 1 and picked["den"].max() == 5000  # both ends of the funnel
    assert picked["den"].is_monotonic_increasing
    small = df.head(50)
    assert charts.spread(small, "den", limit=100) is small
