"""The demo corpus read back through the real parser and the real warehouse.

Every cell of every generated document must come back as the figure it was drawn from (a blank
stays blank), and every planted error must be found by the warehouse's rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from analytics.parsing import parse_file
from fixtures.demo_corpus import demo_corpus, read_truth

# Consecutive years on both sides of the template change, so cross-year rules have neighbours.
PARAMS = {"seed": 11, "scale": 0.1, "years": [2019, 2020, 2021, 2022]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return demo_corpus(tmp_path_factory, **PARAMS)


def _differences(truth: dict, record: dict) -> list[str]:
    diffs = []
    for key in ("agency", "year", "template", "scope"):
        if record.get(key) != truth[key]:
            diffs.append(f"{key}: {record.get(key)!r} != {truth[key]!r}")
    if record.get("published") != truth["published"]:  # every demo report states its date somewhere
        diffs.append(f"published: {record.get('published')} != {truth['published']}")
    got = record.get("active_disclosure", {})
    for k, v in truth["active_disclosure"].items():
        if got.get(k, "absent") != v:
            diffs.append(f"active {k}: {got.get(k, 'absent')!r} != {v!r}")
    diffs += [f"active {k}: not in the document" for k in got if k not in truth["active_disclosure"]]
    for table in ("applications", "review_litigation"):
        got = record.get(table, {})
        for row, cols in truth[table].items():
            for col, v in cols.items():
                g = got.get(row, {}).get(col, "absent")
                if g != v:
                    diffs.append(f"{table} {row}.{col}: {g!r} != {v!r}")
        diffs += [f"{table} {row}: not in the document" for row in got if row not in truth[table]]
    return diffs


@pytest.fixture(scope="module")
def parsed(corpus):
    return [(t, parse_file(corpus / t["source"]["path"])) for t in read_truth(corpus)]


def test_corpus_covers_formats_templates_and_encodings(corpus):
    from analytics.parsing.detect import decode_text

    truth = read_truth(corpus)
    assert {(t["source"]["format"], t["template"]) for t in truth} >= {
        ("html", "2019"), ("html", "2021"), ("text", "2019"), ("text", "2021"), ("docx", "2021")}
    assert any(t["template"] == "2021" and "other_total" in t["applications"] for t in truth)
    encodings = {decode_text((corpus / t["source"]["path"]).read_bytes())[1]
                 for t in truth if t["source"]["format"] == "text"}
    assert "gb18030" in encodings


@pytest.mark.parametrize("fmt", ["html", "text", "docx", "pdf"])
def test_every_cell_reads_back(parsed, fmt):
    mine = [(t, r) for t, r in parsed if t["source"]["format"] == fmt]
    assert mine, f"no {fmt} document in the corpus"
    failures = {t["source"]["path"]: d[:5] for t, r in mine if (d := _differences(t, r))}
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)


def test_reports_read_without_warnings(parsed):
    # A published contradiction (planted) is the only thing worth a warning in these documents.
    noisy = {t["source"]["path"]: [w["code"] for w in r["warnings"] if w["code"] != "published_contradiction"]
             for t, r in parsed}
    noisy = {k: v for k, v in noisy.items() if v}
    assert not noisy, noisy


def test_blank_cells_stay_blank(parsed):
    blanks = 0
    for truth, record in parsed:
        for row, cols in truth["applications"].items():
            for col, v in cols.items():
                if v is None:
                    blanks += 1
                    assert record["applications"][row][col] is None
    assert blanks > 0, "the corpus should hold reports that leave zero cells blank"


@pytest.fixture(scope="module")
def warehouse(corpus, tmp_path_factory):
    from analytics.warehouse.ingest import ingest

    db = tmp_path_factory.mktemp("wh") / "demo.duckdb"
    summary = ingest([str(corpus)], db=db, manifest=str(corpus / "manifest.csv"), dataset="demo",
                     workers=1, progress=False)
    assert not summary.refused, [(r.path, r.reason) for r in summary.refused]
    return db


def _findings(db) -> dict[tuple[str, int], set[str]]:
    from analytics.warehouse import connect_read

    con = connect_read(db)
    try:
        rows = con.execute("SELECT a.name, f.year, f.rule FROM findings f JOIN agencies a USING (agency_id)").fetchall()
    finally:
        con.close()
    found = defaultdict(set)
    for name, year, rule in rows:
        found[(name, year)].add(rule)
    return found


def test_planted_errors_are_found_by_the_rules(corpus, warehouse):
    planted = json.loads((corpus / "planted.json").read_text(encoding="utf-8"))
    assert {p["rule"] for p in planted} >= {"T4_GROUP_SUM", "T3_COLUMN_SUM", "X_CARRYOVER", "TEXT_VS_TABLE",
                                           "YEAR_IN_TEXT", "IMPLAUSIBLE_LEVEL", "X_MISSING_YEAR"}
    found = _findings(warehouse)
    missed = [p for p in planted if p["rule"] not in found.get((p["agency"], p["year"]), set())]
    assert not missed, json.dumps(missed, ensure_ascii=False, indent=1)


def test_no_table_error_where_none_was_planted(corpus, warehouse):
    planted = {(p["agency"], p["year"]) for p in json.loads((corpus / "planted.json").read_text(encoding="utf-8"))}
    table_rules = {"T3_FLOW", "T3_OUTCOME_SUM", "T3_COLUMN_SUM", "T4_GROUP_SUM", "NEGATIVE"}
    unexpected = {f"{k[0]} {k[1]}": sorted(rules & table_rules) for k, rules in _findings(warehouse).items()
                  if k not in planted and rules & table_rules}
    assert not unexpected, unexpected


def test_manifest_places_every_agency(corpus, warehouse):
    from analytics.warehouse import connect_read

    con = connect_read(warehouse)
    try:
        rows = con.execute("SELECT name, level, kind, county, dataset FROM agencies").fetchall()
    finally:
        con.close()
    import csv

    manifest = {r["agency"]: r for r in csv.DictReader((corpus / "manifest.csv").read_text("utf-8").splitlines())}
    by_name = {r[0]: r for r in rows}
    for name, m in manifest.items():
        assert name in by_name
        _, level, kind, county, dataset = by_name[name]
        assert (level, kind, county or "", dataset) == (m["level"], m["kind"], m["county"], "demo")


def test_ruled_pdf_with_blank_cells_reads_back(tmp_path):
    from analytics.demo.corpus import build_reports
    from analytics.demo.figures import agency_rng
    from analytics.demo.render_pdf import render
    from analytics.demo.report import truth_record

    _, reports, _ = build_reports(seed=11, scale=0.1, years=[2021])
    report = next(r for r in reports if r.style.blank_zeros and any(
        v == "" for cols in r.applications.values() for v in cols.values()))
    report.style.format = "pdf"
    path = tmp_path / "blank.pdf"
    path.write_bytes(render(report, agency_rng(11, report.agency.name)))
    assert _differences(truth_record(report), parse_file(path)) == []
