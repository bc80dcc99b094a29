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


def test_queries_run_while_the_shared_connection_is_busy(warehouse):
    """Sessions run on several threads over one cached snapshot. A statement on the shared
    connection itself, instead of on the query's own cursor, fails with "connection is busy"
    whenever another call is using it; here the connection is held busy for the whole test, so
    such a statement fails every time instead of once in a while."""
    import threading

    import duckdb

    shared = db.connection()
    raw = getattr(shared, "_con", shared)
    done: list = []

    def hold():
        try:
            raw.execute("SELECT sum(hash(range)) FROM range(100000000000)").fetchall()
        except duckdb.Error as exc:  # interrupted at the end of the test
            done.append(exc)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        deadline = time.monotonic() + 30
        while True:  # until the long statement is running on the shared connection
            try:
                raw.execute("SELECT 1").fetchall()
            except duckdb.Error as exc:
                assert "busy" in str(exc)
                break
            assert time.monotonic() < deadline, "the holding statement never started"
            time.sleep(0.01)
        st_cache_clear()
        for name in ("filter_years", "filter_regions", "filter_datasets", "kpi_by_year", "agency_metrics",
                     "findings_summary", "coverage_by_year"):
            assert db.query(name) is not None, name
        for report_id in range(1, 6):  # distinct parameters: no cached answer
            db.query("report_header", report_id=report_id)
    finally:
        # An interrupt that lands before the statement has begun executing is lost, so repeat it.
        deadline = time.monotonic() + 60
        while holder.is_alive() and time.monotonic() < deadline:
            raw.interrupt()
            holder.join(0.2)
    assert not holder.is_alive() and done


def st_cache_clear():
    import streamlit as st

    st.cache_data.clear()
