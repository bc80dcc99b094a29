"""Checking a finding on 报告详情: the cells its rule added up are the rule's own, its arithmetic
adds up to the finding's figures, and every finding list opens that check in one click."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from analytics.dashboard import verify
from analytics.warehouse import connect_read
from streamlit.testing.v1 import AppTest

from fixtures.app_test import APP, app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("verify") / "warehouse.duckdb")) as path:
        yield path


def _cells(con, report_id: int):
    return con.execute("SELECT tbl, row_key, col_key, value, kind, raw, src FROM cells WHERE report_id = ?",
                       [report_id]).df()


def _sum(cells, keys) -> float:
    """The side's sum as verify shows it (a blank table-3 总计 as its row's parts, as the rules)."""
    return sum(v for v, _ in (verify._value(cells, k) for k in keys) if v is not None)


def _check_every_finding(db) -> set[str]:
    """For every finding of a table rule in the warehouse, the cells ``terms`` names sum to the
    rule's own figures (expected and actual): the check shows what the rule's SQL added."""
    with connect_read(db) as con:
        found = con.execute("SELECT report_id, rule, subject, expected, actual FROM findings "
                            "WHERE severity <> 'not_assessable' AND report_id IS NOT NULL").df()
        checked = set()
        for f in found.itertuples(index=False):
            cells = _cells(con, int(f.report_id))
            t = verify.terms(f.rule, f.subject, cells)
            if t is None:
                continue
            checked.add(f.rule)
            if f.rule in ("NEGATIVE", "NOT_INTEGER"):
                assert _sum(cells, t.left) == pytest.approx(f.actual if f.actual == f.actual else f.expected)
                continue
            assert _sum(cells, t.left) == pytest.approx(f.expected), (f.rule, f.subject)
            if f.actual == f.actual and f.actual is not None:
                assert _sum(cells, t.right) == pytest.approx(f.actual), (f.rule, f.subject)
    return checked


def test_the_highlighted_cells_add_up_to_every_table_finding(warehouse):
    # The gold corpus has a published error of table 4 (洪泽 2023) and blank totals (上海 2019).
    assert _check_every_finding(warehouse) >= {"T4_GROUP_SUM", "T3_BLANK_TOTAL"}


def test_the_highlighted_cells_add_up_on_planted_table_3_errors(tmp_path):
    """Table 3 broken three ways in one report: each rule's cells add up to its finding."""
    import copy

    from analytics.warehouse import load_records
    from fixtures.corpus import gold_records

    gold = next(g for g in gold_records() if g.get("template") == "2021" and g["applications"])
    broken = copy.deepcopy(gold)
    broken["agency"] = "核验测试局"
    app = broken["applications"]
    app["new_received"]["total"] = (app["new_received"].get("total") or 0) + 7       # T3_FLOW
    app["granted"]["natural_person"] = (app["granted"].get("natural_person") or 0) + 3  # column and outcome sums
    db = tmp_path / "w.duckdb"
    load_records(db, [broken], dataset="demo")
    assert _check_every_finding(db) >= {"T3_FLOW", "T3_OUTCOME_SUM", "T3_COLUMN_SUM"}


def test_arithmetic_is_written_out_with_the_reports_numbers():
    import pandas as pd

    cells = pd.DataFrame([
        ("applications", "new_received", "total", 20.0, "number", "20", "p1:l3"),
        ("applications", "carried_over", "total", 2.0, "number", "2", "p1:l4"),
        ("applications", "total_processed", "total", 19.0, "number", "19", "p1:l20"),
    ], columns=["tbl", "row_key", "col_key", "value", "kind", "raw", "src"])
    t = verify.terms("T3_FLOW", "total", cells)
    lines = verify.arithmetic(t, cells)
    assert lines[0] == "新收 + 上年结转：一、本年新收政府信息公开申请数量·总计 20 + 二、上年结转政府信息公开申请数量·总计 2 = 22"
    assert lines[1].endswith("= 19（另有 1 项为空，按 0 计）")
    used = verify.used_cells(t, cells)
    assert list(used["side"]) == ["求和项", "求和项", "比较项", "比较项"]
    assert used.iloc[3]["where"] == "报告中没有该单元格" and used.iloc[0]["raw"] == "20"


def test_report_page_opens_on_the_finding_and_lists_link_to_it(warehouse):
    with connect_read(warehouse) as con:
        report_id, fp, message = con.execute(
            "SELECT report_id, fingerprint, message FROM findings WHERE rule = 'T4_GROUP_SUM' "
            "AND severity = 'error' ORDER BY report_id LIMIT 1").fetchone()
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("pages/report.py")
    at.query_params["report"] = str(report_id)  # as a link to /report?report=…&finding=… opens it
    at.query_params["finding"] = fp
    at.run()
    assert not at.exception and not at.error, [e.message for e in at.exception] + [e.value for e in at.error]
    assert at.selectbox(key="rp_finding").value == fp
    text = " ".join(m.value for m in at.markdown)
    assert message in text and "维持、纠正、其他、未审结之和：" in text
    assert at.get("arrow_data_frame") or at.dataframe  # the highlighted table is drawn
    assert at.radio(key="rp_years").value == "本年报告"  # one year at a time, full width

    at = open_page("quality")
    frames = [d for d in at.dataframe if "核验" in list(d.value.columns)]
    assert frames, "the findings list has no 核验 column"
    link = frames[0].value["核验"].dropna().iloc[0]
    q = parse_qs(urlparse(link).query)
    assert urlparse(link).path == "report" and q["report"][0].isdigit() and q["finding"][0]
