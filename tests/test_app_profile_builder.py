"""The 机构画像 and 自定义报表 pages end to end under AppTest on the small real warehouse: the
profile's trend, peer band, percentile, findings and report links against a hand computation from
report_wide; the builder's table, totals and files (CSV and XLSX as the page builds them) against
sums of the same reports, rates recomputed from summed numerators and denominators."""

from __future__ import annotations

import csv
import io
import json
import os
from urllib.parse import quote

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.dashboard import builder
from analytics.dashboard.labels import RULES
from analytics.dashboard.metrics import HEADLINE, METRICS
from fixtures.app_test import app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse

AGENCY = "演示市甲区人民政府"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("profile") / "warehouse.duckdb")) as path:
        yield path


@pytest.fixture(scope="module")
def wide(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT * FROM report_wide WHERE is_current").df(), \
            con.execute("SELECT * FROM findings").df()
    finally:
        con.close()


def _figures(at) -> dict[str, dict]:
    out = {}
    for chart in at.get("plotly_chart"):
        fig = json.loads(chart.proto.spec)
        out[fig["layout"]["title"]["text"]] = fig
    return out


def _trace(fig, name) -> dict:
    from test_app_charts import _values

    t = next(t for t in fig["data"] if t.get("name") == name)
    return dict(zip(_values(t["x"]), _values(t["y"])))


def _table(at, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _disclosure(rows: pd.DataFrame) -> pd.Series:
    z = rows.fillna({"a_granted": 0, "a_partially_granted": 0, "a_total_processed": 0})
    den = z.a_total_processed.where(z.a_total_processed != 0)
    return (z.a_granted + z.a_partially_granted) / den


# ------------------------------------------------------------------ 机构画像


def test_profile_trend_band_rank_findings_and_links(warehouse, wide):
    w, findings = wide
    at = open_page("profile", {"pf_agency": AGENCY})
    assert at.title[0].value == "机构画像"
    assert at.session_state["pf_agency"] == AGENCY
    figs = _figures(at)
    assert len(figs) == 1 + len(HEADLINE)

    # Peers by hand: county-level governments of the same province, each year.
    me = w[w.agency_id == AGENCY]
    peers = w[(w.level == "county") & (w.kind == "government") & (w.province == me.province.iloc[0])]
    rate = peers.assign(value=_disclosure(peers)).dropna(subset=["value"])
    fig = figs[f"{METRICS['substantive_disclosure_rate'].label}：本机构与同类"]
    mine = _trace(fig, "本机构")
    assert sorted(mine) == sorted(me.year)
    for year, value in mine.items():
        want = _disclosure(me[me.year == year]).iloc[0]
        assert value == pytest.approx(want)
        year_values = rate[rate.year == year].value
        assert _trace(fig, "同类中位数")[year] == pytest.approx(year_values.median())
        assert _trace(fig, "同类 P25–P75")[year] == pytest.approx(np.quantile(year_values, 0.25))
        assert _trace(fig, "P75")[year] == pytest.approx(np.quantile(year_values, 0.75))

    # The percentile rank per year: peers below / (peers − 1), empty below 30 cases.
    ranks = _table(at, "实质公开率（百分位）").set_index("年度")
    for year in me.year:
        year_values = rate[rate.year == year].value
        own = me[me.year == year]
        value = _disclosure(own).iloc[0]
        if own.a_total_processed.iloc[0] < 30:
            assert np.isnan(ranks.loc[year, "实质公开率（百分位）"])
        else:
            want = (year_values < value).sum() / (len(year_values) - 1) * 100 if len(year_values) > 1 else 0
            assert ranks.loc[year, "实质公开率（百分位）"] == pytest.approx(want)

    # Findings of its current reports, rules named in Chinese beside their code.
    shown = _table(at, "规则")
    want = findings.merge(me[["agency_id", "year"]], on=["agency_id", "year"])
    assert len(shown) == len(want) > 0
    assert (shown["规则"] == shown["代码"].map(RULES)).all()

    # Every year links to its 报告详情.
    yearly = _table(at, "新收申请（件）")
    assert list(yearly["报告详情"]) == [f"report?report={r}" for r in me.sort_values("year").report_id]
    grid = next(df for df in at.dataframe if "新收申请（件）" in df.value.columns)
    assert json.loads(grid.proto.columns)["报告详情"]["type_config"]["type"] == "link"
    assert [p.proto.page for p in at.page_link if "报告详情" in p.value and "打开" in p.value]


def test_profile_base_changes_the_peers_and_is_in_the_url(warehouse, wide):
    w, _ = wide
    at = open_page("profile", {"pf_agency": AGENCY})
    before = _table(at, "同类机构数")["同类机构数"].tolist()
    at.radio(key="pf_base").set_value("all").run()
    assert not at.exception
    assert at.query_params["pf_base"] in ("all", ["all"])
    after = _table(at, "同类机构数").set_index("年度")["同类机构数"]
    # The first metric is the count of new applications: every peer that reported it counts.
    everywhere = w[(w.level == "county") & (w.kind == "government")]
    for year, n in after.items():
        assert n == everywhere[everywhere.year == year].a_new_received.notna().sum()
    assert after.tolist() != before  # the gold data has county governments in another province


def test_tables_that_name_an_agency_link_to_its_profile(warehouse):
    at = open_page("compare")
    table = _table(at, "新收申请量")
    assert "机构画像" in table.columns
    names = table["机构"].str.replace("（演示）", "", regex=False)
    assert list(table["机构画像"]) == [f"profile?pf_agency={quote(n, safe='')}" for n in names]


def test_a_profile_opened_for_an_agency_outside_the_sidebar_filter(warehouse):
    at = open_page("profile", {"pf_agency": AGENCY, "province": "上海市"})
    assert at.session_state["pf_agency"] == AGENCY


# ------------------------------------------------------------------ 自定义报表

QUERY = {"province": "演示省", "years": "2020-2023", "rb_t3": "a_new_received~a_total_processed~a_granted",
         "rb_t4": "rv_total", "rb_metrics": "substantive_disclosure_rate~applications"}


def _builder(extra=None):
    return open_page("builder", {**QUERY, **(extra or {})})


def test_builder_table_totals_equal_a_hand_computation(warehouse, wide):
    w, _ = wide
    at = _builder()
    t = _table(at, "行类型")
    sel = w[(w.province == "演示省") & w.year.between(2020, 2023)]
    detail = t[t["行类型"] == "明细"]
    assert len(detail) == len(sel)
    assert {"机构代码", "省份", "地市", "区县", "年度", "模板"} <= set(t.columns)
    new = "表三·" + builder.FIELDS["a_new_received"].label + "（件）"
    granted = "表三·" + builder.FIELDS["a_granted"].label + "（件）"
    rate = "实质公开率（%）"
    for year, part in sel.groupby("year"):
        sub = t[(t["行类型"] == "小计") & (t["年度"] == year)].iloc[0]
        assert sub[new] == part.a_new_received.sum()
        assert sub[granted] == part.a_granted.sum()
        num = (part.a_granted.fillna(0) + part.a_partially_granted.fillna(0)).sum()
        assert sub[rate] == pytest.approx(round(100 * num / part.a_total_processed.fillna(0).sum(), 2))
    total = t[t["行类型"] == "合计"].iloc[0]
    assert total[new] == sel.a_new_received.sum()
    num = (sel.a_granted.fillna(0) + sel.a_partially_granted.fillna(0)).sum()
    den = sel.a_total_processed.fillna(0).sum()
    assert total["实质公开率·分子（件）"] == num and total["实质公开率·分母（件）"] == den
    assert total[rate] == pytest.approx(round(100 * num / den, 2))
    # Not an average of the rows' rates (they differ here).
    assert round(detail[rate].mean(), 2) != total[rate]
    assert str(t[new].dtype) == "Int64"


def test_builder_choices_come_from_and_go_to_the_url(warehouse):
    at = _builder()
    assert at.session_state["rb_t3"] == ["a_new_received", "a_total_processed", "a_granted"]
    at.radio(key="rb_sub").set_value("agency").run()
    assert not at.exception
    assert at.query_params["rb_sub"] in ("agency", ["agency"])
    t = _table(at, "行类型")
    assert (t["行类型"] == "小计").sum() == t.loc[t["行类型"] == "明细", "机构代码"].nunique()


def test_builder_files_open_with_chinese_and_the_right_columns(warehouse, wide):
    w, _ = wide
    at = _builder()
    t = _table(at, "行类型")
    metrics = ["substantive_disclosure_rate", "applications"]
    fields = ["a_new_received", "a_total_processed", "a_granted", "rv_total"]
    stem = builder.file_stem("演示省", 2020, 2023, metrics, fields)
    assert stem == "自定义报表_演示省_2020-2023"
    # The download the page offers has that name.
    assert any(b.proto.label == "下载 Excel（含数据字典）" for b in at.get("download_button"))
    shown = builder.shown(builder.table(at_rows(w), fields, metrics), fields, metrics)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), t.reset_index(drop=True), check_dtype=False)

    rows = list(csv.reader(io.StringIO(builder.csv_bytes(shown).decode("utf-8-sig"))))
    assert rows[0] == list(t.columns)
    assert rows[-1][0] == "合计" and "演示" in rows[1][2]
    book = load_workbook(io.BytesIO(builder.xlsx_bytes(shown, builder.dictionary(fields, metrics), [("地区", "演示省")])))
    assert book.sheetnames == ["报表", "数据字典", "说明"]
    sheet = list(book["报表"].values)
    assert list(sheet[0]) == list(t.columns)
    new_col = list(t.columns).index("表三·" + builder.FIELDS["a_new_received"].label + "（件）")
    assert sheet[-1][new_col] == w[(w.province == "演示省") & w.year.between(2020, 2023)].a_new_received.sum()
    assert isinstance(sheet[-1][new_col], int)
    described = [r[0] for r in list(book["数据字典"].values)[1:]]
    assert described == list(t.columns)


def at_rows(w: pd.DataFrame) -> pd.DataFrame:
    """The builder's rows for QUERY, read through its query (the page's own source)."""
    from analytics.dashboard import queries
    from analytics.dashboard.filters import example
    from analytics.warehouse import connect_read

    with connect_read(os.environ["ANALYTICS_DB"]) as con:
        return queries.builder_rows(con, **example(province="演示省", year_from=2020, year_to=2023),
                                    fields=["a_new_received", "a_total_processed", "a_granted", "rv_total"],
                                    metrics=["substantive_disclosure_rate", "applications"])


def test_builder_formula_text_is_neutralised_in_both_files():
    frame = pd.DataFrame({"机构": ["=HYPERLINK(\"http://x\")局", "@SUM(1)"], "数": pd.array([1, None], dtype="Int64")})
    rows = list(csv.reader(io.StringIO(builder.csv_bytes(frame).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")局", "'@SUM(1)"]
    book = load_workbook(io.BytesIO(builder.xlsx_bytes(frame, builder.dictionary([], []), [])))
    cells = [r[0] for r in book["报表"].iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells) and cells[0].value.startswith("=") and cells[0].quotePrefix
    assert [r[1].value for r in book["报表"].iter_rows(min_row=2)] == [1, None]
