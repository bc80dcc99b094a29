"""The app's cached connection follows the warehouse file: a new ingest (which swaps in a new
file) is seen by the next query, and results of the old file are never served for the new one."""

from __future__ import annotations

import copy

import pytest

from analytics.dashboard import db
from analytics.warehouse import load_records
from test_dashboard_warehouse import build_warehouse, gold_records


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
