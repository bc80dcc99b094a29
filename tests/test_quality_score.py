"""The report quality score (report_quality, spec/quality.toml): every part recomputed by hand from
the records of a warehouse built in code, the ranking query, the 数据质量 section, and timeliness on
the real corpus's publication dates written out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import fields as F
from analytics import quality
from analytics.dashboard import queries
from analytics.dashboard.filters import example
from analytics.warehouse import connect_read, load_records
from analytics.warehouse.ingest import ingest
from analytics.warehouse.textsig import signature
from fixtures.app_test import app_warehouse, open_page
from fixtures.corpus import documents
from fixtures.records import PROSE, fresh_warehouse, make_record

REGION = {"province": "测试省", "city": "测试市"}
INFO = {
    "测试市教育局": {**REGION, "level": "city", "kind": "department"},
    "测试市人民政府": {**REGION, "level": "city", "kind": "government"},
    "测试市甲区人民政府": {**REGION, "county": "甲区", "level": "county", "kind": "government"},
}
LONG_A = PROSE * 3 + "教育局推进校务公开，规范招生信息发布，完善依申请公开办理流程。"
LONG_B = ("市政府聚焦优化营商环境，集中公开重大行政决策事项，规范政策解读，" * 4
          + "本年度新建政策文件库，统一发布现行有效的规范性文件。")


def _records() -> list[dict]:
    edu22 = make_record("测试市教育局", 2022, published="2023-01-31",
                        sections={"overview": LONG_A, "problems": "公开内容不够全面。", "other_matters": "无。"})
    edu23 = make_record("测试市教育局", 2023, published="2024-02-15",
                        sections={"overview": LONG_A, "problems": "公开内容不够全面。", "other_matters": "无。"})
    edu23["active_disclosure"]["fees_amount"] = None  # a blank cell
    del edu23["applications"]["carried_forward"]  # a row the document does not have (7 cells)
    gov22 = make_record("测试市人民政府", 2022)  # no publication date
    gov23 = make_record("测试市人民政府", 2023, published="2024-03-31",
                        sections={"overview": LONG_B, "problems": "解读形式较为单一。", "other_matters": "无。"})
    gov23["review_litigation"]["review"]["total"] += 2  # table 4 no longer adds up: an error finding
    zone = make_record("测试市甲区人民政府", 2023, template="2021", published="2024-04-10")
    # The single （六）其他处理 row of the 2019 template, kept in a 2021-template report.
    other = {c: sum(zone["applications"][r][c] for r in F.OTHER_ROWS_2021) for c in F.APPLICATION_COLS}
    for r in F.OTHER_ROWS_2021:
        del zone["applications"][r]
    zone["applications"]["other_total"] = other
    zone["review_litigation"]["litigation_direct"]["pending"] = None
    return [edu22, edu23, gov22, gov23, zone]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("quality") / "w.duckdb")
    records = _records()
    load_records(path, records, dataset="real", agency_info=INFO)
    return path, {(r["agency"], r["year"]): r for r in records}


def _rows(path):
    con = connect_read(path)
    try:
        df = con.execute("SELECT * FROM report_quality").df()
    finally:
        con.close()
    return {(r["name"], int(r["year"])): r for r in df.to_dict("records")}


def _findings(path):
    con = connect_read(path)
    try:
        return con.execute("SELECT a.name, f.year, f.severity FROM findings f JOIN agencies a USING (agency_id) "
                           "LEFT JOIN finding_decisions d USING (fingerprint) "
                           "WHERE d.status IS DISTINCT FROM 'dismissed'").fetchall()
    finally:
        con.close()


def _required_and_blank(record: dict) -> tuple[int, int]:
    """The template's figure cells of tables 2-4 and how many of them the record leaves blank or lacks."""
    t = record["template"]
    apps = record["applications"]
    printed_three = any(r in apps for r in F.OTHER_ROWS_2021)
    other = F.OTHER_ROWS_2021 if printed_three or ("other_total" not in apps and t == "2021") else ["other_total"]
    rows = [f.key for f in F.all_fields() if f.table == "applications_row" and f.template == "both"] + other
    cells = [("active_disclosure", k, None) for k in F.keys("active", t)]
    cells += [("applications", r, c) for r in rows for c in F.APPLICATION_COLS]
    cells += [("review_litigation", g, c) for g in F.REVIEW_GROUPS for c in F.REVIEW_COLS]
    tables = {"active_disclosure": record["active_disclosure"], "applications": apps,
              "review_litigation": record["review_litigation"]}
    blank = 0
    for tbl, row, col in cells:
        value = tables[tbl].get(row) if col is None else (tables[tbl].get(row) or {}).get(col)
        blank += value is None
    return len(cells), blank


def _deadline(kind: str, year: int) -> dt.date:
    # 第四十九条: departments by 31 January, governments by 31 March of the next year.
    return dt.date(year + 1, 1, 31) if kind == "department" else dt.date(year + 1, 3, 31)


def _copy_rate(a: dict, b: dict) -> float:
    sa, sb = signature(a["sections"])[0], signature(b["sections"])[0]
    return sum(x == y for x, y in zip(sa, sb)) / len(sa)


def test_each_part_and_the_total_equal_a_hand_computation(built):
    path, records = built
    rows = _rows(path)
    assert set(rows) == set(records)
    reg = quality.registry()
    c = reg.constants
    findings = _findings(path)
    assert any(sev == "error" for name, year, sev in findings if (name, year) == ("测试市人民政府", 2023))
    for key, rec in records.items():
        row = rows[key]
        required, blank = _required_and_blank(rec)
        assert (row["n_required"], row["n_blank"]) == (required, blank), key
        parts = {"completeness": 1 - blank / required}
        errors = sum(1 for n, y, s in findings if (n, y) == key and s == "error")
        warnings = sum(1 for n, y, s in findings if (n, y) == key and s == "warning")
        assert (row["n_errors"], row["n_warnings"]) == (errors, warnings), key
        parts["consistency"] = max(0.0, 1 - c["error_penalty"] * errors - c["warning_penalty"] * warnings)
        kind = INFO[key[0]]["kind"]
        if rec["published"]:
            published = dt.date.fromisoformat(rec["published"])
            late = (published - _deadline(kind, key[1])).days
            assert row["days_late"] == late and bool(row["on_time"]) == (late <= 0), key
            parts["timeliness"] = 1.0 if late <= 0 else max(0.0, 1 - late / c["grace_days"])
        else:
            assert row["timeliness"] != row["timeliness"] or row["timeliness"] is None, key  # NaN / NULL
        prev = records.get((key[0], key[1] - 1))
        if prev and signature(prev["sections"]) and signature(rec["sections"]):
            rate = _copy_rate(rec, prev)
            assert row["copy_rate"] == pytest.approx(rate), key
            parts["originality"] = 1 - rate
        for part, value in parts.items():
            assert row[part] == pytest.approx(value), (key, part)
        weights = {k: p.weight for k, p in reg.parts.items() if k in parts}
        total = 100 * sum(weights[k] * parts[k] for k in weights) / sum(weights.values())
        assert row["score"] == pytest.approx(total), key


def test_the_planted_cases_are_what_the_parts_say(built):
    """The hand computation above could agree with the mart by sharing a mistake: a few values
    written out from the records themselves."""
    rows = _rows(built[0])
    assert rows[("测试市教育局", 2023)]["n_required"] == 200 and rows[("测试市教育局", 2023)]["n_blank"] == 8
    assert rows[("测试市教育局", 2023)]["copy_rate"] == 1.0  # the same prose as the year before
    assert rows[("测试市教育局", 2022)]["days_late"] == 0 and rows[("测试市教育局", 2022)]["timeliness"] == 1.0
    assert rows[("测试市教育局", 2023)]["days_late"] == 15
    assert rows[("测试市甲区人民政府", 2023)]["n_required"] == 186  # one （六） row instead of three
    assert rows[("测试市甲区人民政府", 2023)]["days_late"] == 10
    assert rows[("测试市人民政府", 2023)]["days_late"] == 0
    assert rows[("测试市人民政府", 2023)]["copy_rate"] != rows[("测试市人民政府", 2023)]["copy_rate"]  # 2022 too short


def test_ranking_orders_by_score_and_ranks_within_peers(built):
    path, records = built
    con = connect_read(path)
    try:
        df = queries.quality_ranking(con, **example(year_from=2022, year_to=2023))
        county = queries.quality_ranking(con, **example(year_from=2022, year_to=2023, county="甲区"))
    finally:
        con.close()
    assert len(df) == len(records)
    assert list(df["score"]) == sorted(df["score"], reverse=True)
    assert list(df["rank_all"]) == sorted(df["rank_all"]) and df["rank_all"].iloc[0] == 1
    for _, group in df.groupby(["year", "level", "kind"]):
        assert sorted(group["rank_peer"]) == list(range(1, len(group) + 1)) or group["score"].duplicated().any()
        assert (group["n_peer"] == len(group)).all()
    assert list(county["name"]) == ["测试市甲区人民政府"]
    # The first rows of a shorter list carry the ranks and peer counts of the whole list: ranks
    # are taken among the shown rows, which hold every higher score.
    con = connect_read(path)
    try:
        for n in range(1, len(df)):
            top = queries.quality_ranking(con, **example(year_from=2022, year_to=2023), limit=n)
            cols = ["report_id", "score", "rank_all", "rank_peer", "n_peer"]
            pd.testing.assert_frame_equal(top[cols], df.head(n)[cols])
    finally:
        con.close()


def test_registry_formulas_carry_the_constants_and_the_docs_match():
    reg = quality.registry()
    assert f"{reg.constants['error_penalty']:g}" in reg.parts["consistency"].formula
    assert f"{reg.constants['grace_days']:g}" in reg.parts["timeliness"].formula
    assert "第四十九条" in reg.deadline["source"] and "1月31日" in reg.deadline["article"]
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert quality.reference_markdown() in doc, "docs/evaluation.md: rerun python -m analytics.quality"


def test_quality_page_shows_formulas_and_ranking(built):
    with app_warehouse(built[0]):
        at = open_page("quality")
    headers = [s.value for s in at.subheader]
    assert "年报质量评分" in headers
    frames = [d.value for d in at.dataframe]
    formulas = next(f for f in frames if "公式" in f.columns)
    assert list(formulas["项"]) == [p.label for p in quality.registry().parts.values()] + ["总分"]
    ranking = next(f for f in frames if "总排名" in f.columns)
    assert len(ranking) == 5 and {"必填单元格", "逾期天数", "与上年文本重复率"} <= set(ranking.columns)
    assert any(b.label == "下载 CSV" for b in at.get("download_button"))


# ---------------------------------------------------------------- the real corpus

# From the dates the documents of data/real state (发布日期 / 发布时间), checked by hand against
# 第四十九条: the Shanghai general office and the Pingtan zone committee are held to 31 January.
REAL_TIMELINESS = {
    ("上海市人民政府办公厅", 2019): ("2020-01-31", "2020-01-31", True, 0),     # on the last day
    ("平潭综合实验区管委会", 2019): ("2020-01-20", "2020-01-31", True, -11),
    ("平潭综合实验区管委会", 2021): ("2022-02-08", "2022-01-31", False, 8),
    ("平潭综合实验区管委会", 2023): ("2024-03-08", "2024-01-31", False, 37),
    ("平潭综合实验区管委会", 2025): ("2026-03-10", "2026-01-31", False, 38),
}
REAL_UNDATED = {("上海市科学技术委员会", 2024), ("淮安市洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024),
                ("高新区", 2021)}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    path = tmp_path_factory.mktemp("real") / "w.duckdb"
    ingest(documents(), db=path, progress=False, workers=2)
    return path


def test_timeliness_of_the_real_reports(real):
    rows = _rows(real)
    assert set(rows) == set(REAL_TIMELINESS) | REAL_UNDATED
    grace = quality.registry().constants["grace_days"]
    for key, (published, deadline, on_time, late) in REAL_TIMELINESS.items():
        row = rows[key]
        assert str(row["published"])[:10] == published and str(row["deadline"])[:10] == deadline, key
        assert bool(row["on_time"]) is on_time and row["days_late"] == late, key
        assert row["timeliness"] == pytest.approx(1.0 if on_time else 1 - late / grace), key
    for key in REAL_UNDATED:
        assert rows[key]["timeliness"] != rows[key]["timeliness"], key  # no date: the part is left out
    # The one pair of consecutive years with prose: Hongze 2023 → 2024.
    assert 0 < rows[("淮安市洪泽区人民政府", 2024)]["copy_rate"] < 1


def test_a_dismissed_finding_no_longer_lowers_the_score(tmp_path):
    """A reviewer's dismissal lives in the review store, not in the mart: the ranking takes
    consistency and the score again without the dismissed finding, by the registry's formula."""
    import shutil

    from analytics.warehouse import findings as wh_findings

    src, _ = _built_copy(tmp_path)
    with connect_read(src) as con:
        fp, rid = con.execute("SELECT fingerprint, report_id FROM findings WHERE severity = 'error' "
                              "ORDER BY fingerprint LIMIT 1").fetchone()
        before = queries.quality_ranking(con, **example()).set_index("report_id").loc[rid]
        mart = con.execute("SELECT n_errors, consistency, score FROM report_quality WHERE report_id = ?",
                           [rid]).fetchone()
    assert before["n_errors"] == mart[0]
    assert float(before["consistency"]) == pytest.approx(float(mart[1]))
    assert float(before["score"]) == pytest.approx(float(mart[2]))
    wh_findings.decide(src, fp, "dismissed", "核对原件无误", by="审核员")
    with connect_read(src) as con:
        after = queries.quality_ranking(con, **example()).set_index("report_id").loc[rid]
        assert con.execute("SELECT n_errors FROM report_quality WHERE report_id = ?", [rid]).fetchone()[0] == mart[0]
    c = quality.registry().constants
    assert after["n_errors"] == before["n_errors"] - 1
    assert float(after["consistency"]) == pytest.approx(
        max(0.0, 1 - c["error_penalty"] * after["n_errors"] - c["warning_penalty"] * after["n_warnings"]))
    w = {k: p.weight for k, p in quality.registry().parts.items()}
    parts = {k: float(after[k]) for k in w if after[k] is not None and after[k] == after[k]}
    assert float(after["score"]) == pytest.approx(100 * sum(w[k] * v for k, v in parts.items()) / sum(w[k] for k in parts))
    assert after["score"] > before["score"]
    shutil.rmtree(tmp_path, ignore_errors=True)


def _built_copy(tmp_path):
    path = fresh_warehouse(tmp_path / "w.duckdb")
    records = _records()
    load_records(path, records, dataset="real", agency_info=INFO)
    return path, records
