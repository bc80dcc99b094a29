"""Parsing in worker processes loads exactly what parsing in the ingest process loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from analytics.warehouse.ingest import ingest
from fixtures.corpus import copy_documents


# Everything a load writes, in an order that does not depend on which worker finished first.
CONTENT = {
    "reports": "SELECT agency_id, year, source_sha256, source_format, is_current, n_cells, n_warnings, "
               "warnings::VARCHAR, sections::VARCHAR FROM reports ORDER BY source_sha256",
    "cells": "SELECT r.source_sha256, c.tbl, c.row_key, c.col_key, c.value, c.kind, c.raw, c.src "
             "FROM cells c JOIN reports r USING (report_id) ORDER BY ALL",
    "textsig": "SELECT r.source_sha256, s.sig, s.bands FROM report_textsig s JOIN reports r USING (report_id) "
               "ORDER BY 1",
    "agencies": "SELECT * FROM agencies ORDER BY agency_id",
    "log": "SELECT replace(path, ?, ''), sha256, status, reason FROM ingest_log ORDER BY 1",
    "findings": "SELECT rule, severity, count(*) FROM findings GROUP BY ALL ORDER BY ALL",
}


def _content(db: Path, root: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql, [str(root)] if "?" in sql else []).fetchall() for name, sql in CONTENT.items()}
    finally:
        con.close()


def test_two_workers_load_the_same_rows_as_one(tmp_path):
    # A duplicate file and an unreadable one ride along: a bad file never stops the batch.
    docs = copy_documents(tmp_path / "docs")
    first = sorted(p for p in docs.iterdir() if p.suffix == ".txt" and "2018" not in p.name)[0]
    shutil.copy(first, docs / f"copy-of-{first.name}")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n not really a pdf")

    results = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        summary = ingest([docs], db=db, workers=workers, progress=False)
        results[workers] = (summary, _content(db, docs))

    one, two = results[1], results[2]
    assert two[1] == one[1]
    content = one[1]
    assert len(content["reports"]) >= 5 and len(content["cells"]) > 100 * len(content["reports"])
    statuses = {r.status for r in two[0].results}
    assert {"duplicate", "refused"} <= statuses
    assert any(r.path.endswith("broken.pdf") for r in two[0].results if r.status == "refused")
