"""The app's cached connection follows the warehouse file: a new ingest (which swaps in a new
file) is seen by the next query, and results of the old file are never served for the new one."""

from __future__ import annotations

import copy
import time

import pytest

from analytics.dashboard import db
from analytics.warehouse import load_records
from fixtures.corpus import gold_records
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    path = build_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("ANALYTICS_DB", str(path))
    return path


def _n_current(df):
    return int(df["n_reports"].sum())


def test_a_new_ingest_is_seen_by_the_next_query(warehouse):
    before = db.query("filter_datasets")
    version = db.file_version(warehouse)
    conn = db.connection()
    extra = copy.deepcopy(gold_records()[0])
    extra["agency"], extra["year"] = "新增测试局", 2022
    load_records(warehouse, [extra], dataset="real")
    assert db.file_version(warehouse) != version
    after = db.query("filter_datasets")
    assert _n_current(after) == _n_current(before) + 1
    assert db.connection() is not conn
    # The same file version keeps answering from the cache and the same connection.
    assert db.connection() is db.connection()


def test_missing_warehouse_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "none.duckdb"))
    with pytest.raises(db.NoWarehouse):
        db.query("filter_years")


class SharedConnectionGuard:
    """Stands in for the reader's shared connection: hands out cursors, and fails the test on any
    statement run on the connection itself."""

    ALLOWED = {"cursor"}

    def __init__(self, con):
        self._con = con
        self.cursors = 0

    def __getattr__(self, name):
        if name not in self.ALLOWED:
            raise AssertionError(f"{name}() on the shared connection: sessions run on several threads, "
                                 "and a second call on it fails with 'connection is busy'")
        self.cursors += 1
        return getattr(self._con, name)


def test_queries_never_run_a_statement_on_the_shared_connection(warehouse):
    """Sessions run on several threads over one cached snapshot, and a DuckDB connection serves
    one statement at a time: a statement on the shared connection instead of the query's own
    cursor fails with "connection is busy" whenever another session is using it (or waits for it,
    depending on when the second call comes). Whether a race shows it is luck; here any statement
    on the shared connection fails the test every time."""
    shared = db.connection()
    real = shared._con
    guard = shared._con = SharedConnectionGuard(real)
    try:
        st_cache_clear()
        for name in ("filter_years", "filter_regions", "filter_datasets", "kpi_by_year", "agency_metrics",
                     "findings_summary", "coverage_by_year", "findings_list"):
            assert db.query(name) is not None, name
        for report_id in range(1, 6):  # distinct parameters: no cached answer
            db.query("report_header", report_id=report_id)
    finally:
        shared._con = real
    assert guard.cursors >= 13  # every query above ran, each on a cursor of its own


def st_cache_clear():
    import streamlit as st

    st.cache_data.clear()
