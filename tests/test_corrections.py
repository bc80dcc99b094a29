"""A reviewer's correction of one cell on a real warehouse: the metric changes in report_metrics,
the agency totals, the region totals and the exports, the cell is marked corrected with its parsed
value kept, the rules re-run for that report, and the log says who and why."""

from __future__ import annotations

import csv

import pytest

from analytics.cli import main
from analytics.errors import ReportError
from analytics.warehouse import load_records
from analytics.warehouse.corrections import correct, list_corrections
from analytics.warehouse.export import export
from fixtures.records import fresh_warehouse, make_record, read_rows

AGENCY = "江苏省淮安市教育局"


@pytest.fixture
def db(tmp_path):
    path = fresh_warehouse(tmp_path / "w.duckdb")
    broken = make_record(AGENCY, 2023)
    broken["review_litigation"]["review"]["total"] = 0  # its parts add up to 3: one T4_GROUP_SUM
    load_records(path, [broken, make_record("江苏省淮安市民政局", 2023)])
    return path


def report_id(db, year=2023):
    return read_rows(db, "SELECT report_id FROM reports WHERE agency_id = ? AND year = ?", [AGENCY, year])[0][0]


def rules(db):
    return sorted(r[0] for r in read_rows(db, "SELECT rule FROM findings WHERE agency_id = ? AND year = 2023", [AGENCY]))


def test_a_correction_changes_every_metric_keeps_the_parsed_value_and_reruns_the_rules(db, tmp_path):
    rid = report_id(db)
    assert rules(db) == ["T4_GROUP_SUM"]
    metric = "SELECT applications_num FROM report_metrics WHERE report_id = ?"
    total = "SELECT applications_num FROM agency_total WHERE agency_id = ?"
    region = "SELECT sum(applications_num) FROM region_year WHERE city = '淮安市' AND year = 2023"
    assert read_rows(db, metric, [rid]) == [(83,)] and read_rows(db, total, [AGENCY]) == [(83,)]
    region_before = read_rows(db, region)[0][0]

    # the review total was misprinted: the rule that flagged it no longer fires
    fixed = correct(db, rid, "表四", "review:total", "3", reason="原件第 5 页合计为 3，扫描误读", by="王审核")
    assert rules(db) == []
    assert (fixed.previous_value, fixed.value, fixed.parsed_value) == (0, 3, 0)
    assert "0 → 3" in fixed.summary_zh() and "1 → 0" in fixed.summary_zh()

    # a total corrected away from its parts: used by every metric, and the rules say so
    correct(db, rid, "applications", "new_received:total", 100, reason="核对纸质件", by="李四")
    assert read_rows(db, metric, [rid]) == [(100,)]
    assert read_rows(db, total, [AGENCY]) == [(100,)]
    assert read_rows(db, region)[0][0] == region_before + 17
    assert "T3_COLUMN_SUM" in rules(db)
    cell = read_rows(db, "SELECT value, kind, raw FROM cells WHERE report_id = ? AND tbl = 'applications' "
                   "AND row_key = 'new_received' AND col_key = 'total'", [rid])
    assert cell == [(100.0, "number", "83")]  # the printed text stays

    # corrected twice: the parsed value is still the parser's, the previous one the first correction
    again = correct(db, rid, "表三", "new_received.total", "90", reason="再次核对", by="李四")
    assert (again.parsed_value, again.previous_value, again.value) == (83, 100, 90)
    log = list_corrections(db, rid)
    assert [(r[5], r[6], r[7], r[8], r[9], r[10], r[11]) for r in log] == [
        ("review", "total", 0, 0, 3, "原件第 5 页合计为 3，扫描误读", "王审核"),
        ("new_received", "total", 83, 83, 100, "核对纸质件", "李四"),
        ("new_received", "total", 83, 100, 90, "再次核对", "李四")]

    # exports carry the corrected values and the mark
    out = tmp_path / "out"
    export(db, out, fmt="csv", what=["cells", "metrics", "reports"])
    with open(out / "cells.csv", encoding="utf-8-sig") as fh:
        cells = [r for r in csv.DictReader(fh) if r["report_id"] == str(rid) and r["row_key"] == "new_received"
                 and r["col_key"] == "total"]
    assert [(float(c["value"]), c["corrected"], float(c["parsed_value"])) for c in cells] == [(90, "true", 83)]
    with open(out / "metrics.csv", encoding="utf-8-sig") as fh:
        metrics = {r["report_id"]: r for r in csv.DictReader(fh)}
    assert float(metrics[str(rid)]["applications_num"]) == 90 and metrics[str(rid)]["corrected"] == "true"
    assert {r["corrected"] for k, r in metrics.items() if k != str(rid)} == {"false"}
    with open(out / "reports.csv", encoding="utf-8-sig") as fh:
        assert {r["report_id"]: r["n_corrected"] for r in csv.DictReader(fh)}[str(rid)] == "2"


def test_the_command_line_corrects_lists_and_refuses_bad_input(db, capsys, tmp_path):
    rid = report_id(db)
    assert main(["correct", str(rid), "表四", "review:total", "3", "--reason", "扫描误读", "--by", "王审核",
                 "--db", db]) == 0
    assert "已更正报告" in capsys.readouterr().out
    assert main(["correct", "--list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "王审核" in listed and "扫描误读" in listed and "0.0 → 3.0" in listed
    assert main(["correct", "--list", "--out", str(tmp_path / "c.csv"), "--db", db]) == 0
    with open(tmp_path / "c.csv", encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 2
    capsys.readouterr()
    for args, message in (
            ([str(rid), "表四", "review:total", "3"], "须写明原因"),
            ([str(rid), "表五", "x", "3", "--reason", "r"], "表格只能是"),
            ([str(rid), "表三", "nothing:total", "3", "--reason", "r"], "表三没有单元格"),
            ([str(rid), "表三", "new_received:total", "三", "--reason", "r"], "须是数字"),
            (["999999", "表三", "new_received:total", "3", "--reason", "r"], "没有编号为 999999 的报告"),
            ([str(rid), "表三", "new_received:total", "3", "--reason", "r", "--by", "system"], "保留给系统")):
        assert main(["correct", *args, "--db", db]) == 2
        err = capsys.readouterr().err
        assert err.startswith("analytics correct: ") and message in err and err.count("\n") == 1, err
    assert len(list_corrections(db)) == 1  # nothing refused was written


def test_a_correction_is_refused_whole(db):
    with pytest.raises(ReportError):
        correct(db, report_id(db), "表三", "new_received:total", 1e300, reason="x")
    assert list_corrections(db) == []


def test_the_report_page_saves_a_correction_and_says_so(tmp_path, monkeypatch, db):
    from fixtures.app_test import open_page

    monkeypatch.setenv("ANALYTICS_DB", str(db))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    rid = report_id(db)
    at = open_page("report", {"report": str(rid)})
    assert not at.exception, [e.message for e in at.exception]
    assert any("没有人工更正" in c.value for c in at.caption)
    at.selectbox(key="rp_fix_cell").set_value("review_litigation|review|total")
    at.number_input(key="rp_fix_value").set_value(3.0)
    at.button(key="rp_fix_save").click().run()
    assert [e.value for e in at.error] and not list_corrections(db)  # no reason: refused, one line
    at.text_input(key="rp_fix_reason").set_value("原件合计为 3")
    at.button(key="rp_fix_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success][0].startswith("已更正报告")
    assert any("1 条人工更正" in c.value for c in at.caption)
    assert [(r[9], r[10]) for r in list_corrections(db)] == [(3, "原件合计为 3")]
    assert rules(db) == []
