"""The typed record: its JSON is the spec's, it is never changed in place, and one name per table
reaches the warehouse."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from analytics import fields as F
from analytics.parsing import parse_file, read_report
from analytics.report_record import Cell, Report, ReportWarning, as_report
from analytics.warehouse import connect_read, load_records, write_session
from analytics.warehouse.findings import list_findings, recheck
from analytics.manifest import apply
from analytics.warehouse.sqlfiles import all_names, read
from fixtures.records import fresh_warehouse, make_record

ROOT = Path(__file__).resolve().parents[1]
from fixtures.corpus import GOLD, REAL
SNAPSHOTS = sorted((ROOT / "tests" / "golden").glob("*.json"))


def _spec_example() -> dict:
    text = (ROOT / "docs" / "spec" / "report-schema.md").read_text(encoding="utf-8")
    return json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))


@pytest.mark.parametrize("snap", SNAPSHOTS, ids=[p.name for p in SNAPSHOTS])
def test_snapshots_read_and_written_back_unchanged(snap):
    record = json.loads(snap.read_text(encoding="utf-8"))
    back = Report.from_json(record).to_json()
    back["source"].pop("path")  # the snapshots leave out where the file lay
    assert back == record
    assert list(back) == list(record)


def test_parsed_json_has_the_spec_keys_in_the_spec_order():
    spec = _spec_example()
    record = parse_file(REAL / "平潭综合实验区管委会_2023.txt")
    assert list(record) == list(spec)
    assert list(record["source"]) == list(spec["source"])
    assert list(record["cells"][0]) == list(spec["cells"][0])
    assert list(record["warnings"][0]) == list(spec["warnings"][0])
    # the JSON is a fresh copy: changing it leaves the report alone
    report = read_report(REAL / "平潭综合实验区管委会_2023.txt")
    copy = report.to_json()
    copy["applications"]["new_received"]["total"] = -1
    copy["cells"].clear()
    assert report.to_json() == record
    assert report.applications["new_received"]["total"] != -1 and report.cells


def test_a_report_is_changed_only_into_a_new_one():
    report = read_report(REAL / "平潭综合实验区管委会_2023.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.agency = "某局"
    assert isinstance(report.cells[0], Cell) and isinstance(report.warnings, tuple)
    moved = report.with_source(sha256="0" * 64)
    assert moved.source.sha256 == "0" * 64 and report.source.sha256 != "0" * 64
    assert moved.source.path == report.source.path

    named, given = apply(report, {"path": "x", "agency": "云溪县高新区管委会", "year": 2022, "kind": "zone"})
    assert (named.agency, named.year, given) == ("云溪县高新区管委会", 2022, {"kind": "zone"})
    assert (report.agency, report.year) == ("平潭综合实验区管委会", 2023)
    assert named.cells is report.cells
    # an empty manifest cell leaves what parsing found
    assert report.overridden(agency="", year=None) is report


def test_gold_records_and_dicts_built_in_code_are_reports_without_cells():
    gold = json.loads((GOLD / "高新区_2021.gold.json").read_text(encoding="utf-8"))
    report = as_report(gold)
    assert report.cells == () and report.source.sha256 is None and report.sections is None
    assert report.applications == gold["applications"]
    assert as_report(report) is report
    partial = Report.from_json({"agency": "某局", "year": 2023, "cells": [{"table": "applications"}],
                                "warnings": [{"code": "row_missing", "message": "表3 未读到行 granted"}]})
    assert partial.cells == (Cell("applications", None, None, None, None, None, None),)
    assert partial.warnings == (ReportWarning("row_missing", "表3 未读到行 granted", ""),)


def _rows(db) -> dict:
    con = connect_read(db)
    try:
        return {
            "reports": con.execute("SELECT agency_id, year, template, scope, published, source_path, source_sha256, "
                                   "source_format, n_cells, n_warnings, warnings::VARCHAR, sections::VARCHAR "
                                   "FROM reports").fetchall(),
            "cells": con.execute("SELECT tbl, row_key, col_key, value, kind, raw, src FROM cells ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


def test_a_report_and_its_json_load_the_same_rows(tmp_path):
    report = read_report(REAL / "平潭综合实验区管委会_2023.txt")
    a, b = fresh_warehouse(tmp_path / "a.duckdb"), fresh_warehouse(tmp_path / "b.duckdb")
    assert load_records(a, [report]) and load_records(b, [report.to_json()])
    rows = _rows(a)
    assert rows == _rows(b)
    assert {r[0] for r in rows["cells"]} == set(F.REPORT_TABLES)
    assert len(rows["cells"]) == rows["reports"][0][8] > 150
    assert {r[6] for r in rows["cells"]} != {None}  # the parser's source positions were kept


def test_a_gold_file_loads_its_values(tmp_path):
    gold = json.loads((GOLD / "高新区_2021.gold.json").read_text(encoding="utf-8"))
    db = fresh_warehouse(tmp_path / "w.duckdb")
    assert len(load_records(db, [gold])) == 1
    cells = _rows(db)["cells"]
    n_values = len(gold["active_disclosure"]) + sum(len(r) for t in ("applications", "review_litigation")
                                                   for r in gold[t].values())
    assert len(cells) == n_values
    got = {(t, r, c): v for t, r, c, v, *_ in cells}
    assert got[("applications", "new_received", "total")] == gold["applications"]["new_received"]["total"]
    assert got[("review_litigation", "review", "total")] == gold["review_litigation"]["review"]["total"]
    key, value = next(iter(gold["active_disclosure"].items()))
    assert got[("active_disclosure", key, "value")] == value


def test_fields_axes_map_to_the_record_tables():
    assert {f.report_table for f in F.all_fields()} == set(F.REPORT_TABLES) | {F.PROCESSING_FEES}
    assert F.report_table("fees") == F.PROCESSING_FEES
    assert F.report_table("applications_col") == F.report_table("applications_row") == "applications"
    assert F.report_table("review_group") == "review_litigation" and F.report_table("active") == "active_disclosure"
    with pytest.raises(KeyError):
        F.report_table("active_disclosure")  # a table is not an axis


def test_every_sql_file_names_cells_tables_as_the_record_does():
    named = set()
    for name in all_names():
        text = read(name)
        named |= set(re.findall(r"\bc\.tbl\s*(?:=|<>)\s*'([a-z_]+)'", text))
        for case in re.findall(r"CASE c\.tbl(.*?)END", text, re.S):
            named |= set(re.findall(r"WHEN '([a-z_]+)'", case))
    assert named == set(F.REPORT_TABLES)


def test_an_older_warehouse_is_renamed_and_keeps_its_decisions(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    record = make_record("江苏省淮安市教育局", 2023)
    record["active_disclosure"]["licensing_decisions"] = 12.5
    record["review_litigation"]["review"]["upheld"] = 1.5
    load_records(db, [record])
    fingerprints = sorted(r[0] for r in list_findings(db, rule="NOT_INTEGER"))
    assert [fp.rsplit("|", 1)[1].split(":")[0] for fp in fingerprints] == ["active_disclosure", "review_litigation"]
    with write_session(db) as con:  # as the warehouse was written with the short table names,
        # when it kept its decisions in its own table
        con.execute("CREATE TABLE finding_decisions (fingerprint VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, "
                    "note VARCHAR, decided_at TIMESTAMP NOT NULL)")
        for fp in fingerprints:
            con.execute("INSERT INTO finding_decisions VALUES (?, 'dismissed', '已核实', now())", [fp])
        for new, old in (("active_disclosure", "active"), ("review_litigation", "review")):
            con.execute("UPDATE cells SET tbl = ? WHERE tbl = ?", [old, new])
            for table in ("findings", "finding_decisions"):
                con.execute(f"UPDATE {table} SET fingerprint = replace(fingerprint, ?, ?)", [f"|{new}:", f"|{old}:"])
            con.execute("UPDATE findings SET subject = replace(subject, ?, ?)", [f"{new}:", f"{old}:"])
        con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema'")
    recheck(db)
    con = connect_read(db)
    try:
        assert {r[0] for r in con.execute("SELECT DISTINCT tbl FROM cells").fetchall()} == set(F.REPORT_TABLES)
        assert sorted(r[0] for r in con.execute("SELECT fingerprint FROM finding_decisions").fetchall()) == fingerprints
    finally:
        con.close()
    assert [(r[0], r[7]) for r in sorted(list_findings(db, rule="NOT_INTEGER"))] == \
        [(fp, "dismissed") for fp in fingerprints]
