"""Confirm/dismiss decisions are keyed by fingerprint and survive re-ingest and re-check."""

from __future__ import annotations

import re

import pytest

from analytics.cli import main
from analytics.errors import ReportError
from analytics.warehouse import connect_read, load_records
from analytics.warehouse.findings import decide, list_findings
from analytics.warehouse.sqlfiles import read
from fixtures.records import fresh_warehouse, make_record

FP = "T4_GROUP_SUM|江苏省淮安市教育局|2023|review"


def broken(extra_note: str = "") -> dict:
    r = make_record("江苏省淮安市教育局", 2023)
    r["review_litigation"]["review"]["total"] = 0
    r["sections"]["other_matters"] += extra_note  # new content: a new version of the same report
    return r


def counts(db):
    """The error findings the pages count for the current report: dismissed ones left out (report_wide
    counts every finding; decisions live in the review store and are left out when read)."""
    con = connect_read(db)
    try:
        sql = read("profile_years", "analytics.dashboard")
        return con.execute(sql, {"agency_id": "江苏省淮安市教育局", "datasets": ["real"]}).fetchone()[-2]
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


def test_unknown_fingerprints_and_statuses_are_refused(tmp_path, capsys):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [broken()])
    with pytest.raises(ReportError, match=re.escape("没有指纹为 'X|nobody|2020|y' 的发现")):
        decide(db, "X|nobody|2020|y", "dismissed")
    with pytest.raises(ReportError, match="状态只能是.*不能是 'ignored'"):
        decide(db, FP, "ignored")
    assert main(["findings", "confirm", "--db", db]) == 2
    assert capsys.readouterr().err == "analytics findings: findings confirm 须给出发现的指纹（FINGERPRINT）\n"
