"""Exports in CSV, Parquet and Excel read back with the same rows, plus the data dictionary."""

from __future__ import annotations

import csv

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from analytics.cli import main
from analytics.errors import ReportError
from analytics.fields import all_fields
from analytics.warehouse import connect_read, load_records
from analytics.warehouse.export import export
from analytics.metrics import METRIC_KEYS as METRIC_NAMES
from fixtures.records import fresh_warehouse, make_record


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("export") / "w.duckdb")
    bad = make_record("江苏省淮安市教育局", 2023)
    bad["review_litigation"]["review"]["total"] = 0
    load_records(path, [make_record("江苏省淮安市教育局", 2022), bad, make_record("江苏省淮安市民政局", 2023)])
    con = connect_read(path)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("reports", "cells", "report_metrics", "findings")}
    con.close()
    return path, counts


def test_csv_and_parquet_hold_every_row(db, tmp_path):
    path, counts = db
    assert main(["export", "--db", path, "--out", str(tmp_path / "csv")]) == 0
    export(path, tmp_path / "pq", "parquet")
    for name, table in (("reports", "reports"), ("cells", "cells"), ("metrics", "report_metrics"),
                        ("findings", "findings")):
        frame = pd.read_csv(tmp_path / "csv" / f"{name}.csv", encoding="utf-8-sig")
        assert len(frame) == counts[table], name
        assert pq.read_table(tmp_path / "pq" / f"{name}.parquet").num_rows == counts[table]
    metrics = pd.read_csv(tmp_path / "csv" / "metrics.csv", encoding="utf-8-sig")
    assert {"completion_rate_num", "completion_rate_den", "completion_rate"} <= set(metrics.columns)
    findings = pd.read_csv(tmp_path / "csv" / "findings.csv", encoding="utf-8-sig")
    assert "T4_GROUP_SUM" in set(findings["rule"]) and set(findings["status"]) == {"open"}


def test_data_dictionary_has_every_field_and_metric(db, tmp_path):
    path, _ = db
    export(path, tmp_path, "csv", ["findings"])
    with open(tmp_path / "data_dictionary.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    keys = {(r["kind"], r["key"]) for r in rows}
    assert {(f.table, f.key) for f in all_fields()} <= keys
    assert {("metric", m) for m in METRIC_NAMES} <= keys
    label = {r["key"]: r["label"] for r in rows}
    assert label["granted"] == "三（一）予以公开" and label["completion_rate"] == "办结率"
    assert {"key", "label", "template", "notes"} <= set(rows[0])


def test_xlsx_has_one_sheet_per_table(db, tmp_path):
    path, counts = db
    (out,) = export(path, tmp_path, "xlsx", ["reports", "metrics"])
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["reports", "metrics", "data_dictionary"]
    assert wb["reports"].max_row == counts["reports"] + 1


def test_bad_requests_are_report_errors(db, tmp_path):
    path, _ = db
    with pytest.raises(ReportError, match="unknown table"):
        export(path, tmp_path, "csv", ["everything"])
    with pytest.raises(ReportError, match="no warehouse"):
        export(tmp_path / "none.duckdb", tmp_path, "csv")
