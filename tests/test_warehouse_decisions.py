"""Confirm/dismiss decisions are keyed by fingerprint and survive re-ingest and re-check."""

from __future__ import annotations

import pytest

from analytics.cli import main
from analytics.errors import ReportError
from analytics.warehouse import connect_read, load_records
from analytics.warehouse.findings import decide, list_findings
from fixtures.records import fresh_warehouse, make_record

FP = "T4_GROUP_SUM|江苏省淮安市教育局|2023|review"


def broken(extra_note: str = "") -> dict:
    r = make_record("江苏省淮安市教育局", 2023)
    r["review_litigation"]["review"]["total"] = 0
    r["sections"]["other_matters"] += extra_note  # new content: a new version of the same report
    return r


def counts(db):
    con = connect_read(db)
    try:
        return con.execute("SELECT n_findings_error FROM report_wide WHERE is_current").fetchone()[0]
    finally:
        con.close()


def test_a_dismissal_survives_a_new_version_and_a_recheck(tmp_path, capsys):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [broken()])
    assert counts(db) == 1
    assert main(["findings", "dismiss", FP, "--note", "表格印刷错误，已核实", "--db", db]) == 0
    assert counts(db) == 0
    load_records(db, [broken("（修订版）")])
    assert main(["check", "--db", db]) == 0
    rows = list_findings(db, rule="t4_group_sum")
    assert [(r[0], r[7], r[8]) for r in rows] == [(FP, "dismissed", "表格印刷错误，已核实")]
    assert counts(db) == 0
    con = connect_read(db)
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    decide(db, FP, "confirmed", "复核后确认")
    assert counts(db) == 1
    capsys.readouterr()
    assert main(["findings", "--agency", "教育局", "--status", "confirmed", "--db", db]) == 0
    assert FP in capsys.readouterr().out


def test_unknown_fingerprints_and_statuses_are_refused(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [broken()])
    with pytest.raises(ReportError, match="no finding with fingerprint"):
        decide(db, "X|nobody|2020|y", "dismissed")
    with pytest.raises(ReportError, match="status must be one of"):
        decide(db, FP, "ignored")
    assert main(["findings", "confirm", "--db", db]) == 2
