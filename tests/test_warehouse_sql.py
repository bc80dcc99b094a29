"""Every .sql file of the warehouse runs against a real warehouse holding reports."""

from __future__ import annotations

import re
import shutil
from datetime import datetime

import duckdb
import pandas as pd

import pytest

from analytics.warehouse import load_records, write_session
from analytics.warehouse import models, reviewdb, wide
from analytics.warehouse.checks import SQL_RULES, rule_sql, run_checks, scope_expand_sql, set_scope
from analytics.warehouse.schema import metrics_view_sql
from analytics.warehouse.sqlfiles import all_names, ident, read, render
from fixtures.records import fresh_warehouse, make_record

# Files with slots are rendered by the module that owns their allow-list.
RENDERED = {
    "report_wide_select": lambda: f"SELECT count(*) FROM ({wide.select_sql()})",
    "report_metrics": metrics_view_sql,
    "checks/insert_findings": lambda: render("checks/insert_findings", query=read("rules/t4_group_sum")),
    "rules/template_year": lambda: rule_sql("template_year"),
    "rules/duplicate_text": lambda: rule_sql("duplicate_text"),
    "checks/scope_expand": scope_expand_sql,
    "marts/report_quality": lambda: models.model_sql("report_quality"),
    **{f"marts_delta/{n}": (lambda n=n: _delta(n)) for n in (
        "delete_agencies", "delete_regions", "delete_peers", "shadow_agencies", "shadow_regions", "shadow_peers",
        "shadow_reports", "unshadow", "insert")},
}
_DELTA_TABLE = {"delete_agencies": "agency_year", "delete_regions": "region_year", "delete_peers": "peer_stats",
                "shadow_agencies": "agency_year", "shadow_regions": "agency_year", "shadow_peers": "agency_metric",
                "shadow_reports": "cells", "unshadow": "agency_year", "insert": "agency_total"}


def _delta(name: str) -> str:
    """A statement of the incremental summary refresh, after the temp tables it reads."""
    from analytics.warehouse.models import _query_of

    table = _DELTA_TABLE[name]
    return ";\n".join([
        "CREATE OR REPLACE TEMP TABLE _mart_scope AS SELECT '江苏省淮安市人民政府' AS agency_id",
        read("marts_delta/region_keys_create"), read("marts_delta/region_keys"),
        read("marts_delta/peer_groups_create"), read("marts_delta/peer_groups"), read("marts_delta/scope_reports"),
        render(f"marts_delta/{name}", table=table, catalog='"copy"',
               query=_query_of(table) if table != "cells" else "")])

# Pieces of other queries, run inside a minimal query of their own.
FRAGMENTS = {
    "checks/shared_bands": lambda: (f"WITH mine AS (SELECT * FROM current_bands), {read('checks/shared_bands')} "
                                    "SELECT count(*) FROM buckets"),
}
NEW_ID = 10**9
DB_OF: list = []  # the module's warehouse, whose review store the statements read
PARAMS = {
    "findings/list": {"rule": None, "agency": "淮安", "severity": None, "status": None, "limit": 10},
    "findings/match": {"fingerprint": None, "fingerprints": None, "rule": "t4_group_sum", "agency": "淮安", "severity": None,
                       "year": 2023, "from_status": "open"},
    "review/outbox_since": [0],
    "corrections/n_findings": ["江苏省淮安市人民政府"],
    "corrections/cell_of": {"report_id": 1, "tbl": "applications", "row_key": "new_received", "col_key": "total"},
    "corrections/append": {"report_id": 1, "tbl": "applications", "row_key": "new_received", "col_key": "total",
                           "parsed_value": 83.0, "parsed_kind": "number", "previous_value": 83.0, "value": 90.0,
                           "reason": "核对", "actor": "张三", "at": datetime(2024, 1, 1), "queue_id": 1},
    "corrections/apply_update": {"report_id": 1, "tbl": "applications", "row_key": "new_received",
                                 "col_key": "total", "value": 90.0},
    "corrections/apply_insert": {"report_id": 1, "tbl": "applications", "row_key": "new_received",
                                 "col_key": "total", "value": 90.0},
    "corrections/batch_many": {"report_ids": [1]},
    "corrections/report_agency": {"report_id": 1},
    "corrections/queue_advance": {"queue_id": 1},
    "corrections/of_queue": {"queue_ids": [1]},
    "corrections/list": {"report_id": None},
    "report_wide_sync": {"agencies": ["江苏省淮安市人民政府"]},
    "review/outbox_append": {"at": datetime(2024, 1, 1)},
    "findings/closed_by_new_version": {"statuses": ["confirmed", "notified", "returned"]},
    "findings/history": {"fingerprint": "x"},
    "notice/findings": {"year": 2023, "region": None, "statuses": ["confirmed"]},
    "notice/figures": {"fingerprints": ["T4_GROUP_SUM|江苏省淮安市人民政府|2023|review"]},
    "load/known_shas": [["abc"]],
    "load/known_texts": [["abc"]],
    "load/insert_textsig": [NEW_ID, [1, 2], [3]],
    "load/insert_log": [1, "a.pdf", "abc", "refused", "empty", None, datetime(2024, 1, 1)],
    "checks/insert_findings": ["report"],
}


def _frames(con) -> None:
    """The frames some statements read, registered as the loader and checks register them."""
    from analytics.warehouse.checks import FINDING_COLUMNS
    import pyarrow as pa

    from analytics.warehouse.loader import AGENCY_COLUMNS, CELL_SCHEMA, REPORT_COLUMNS, _report_cells, agency_row

    con.register("_current_pairs", pd.DataFrame({"agency_id": ["江苏省淮安市人民政府"], "year": [2023]}))
    report = {k: None for k in REPORT_COLUMNS} | {
        "report_id": NEW_ID, "agency_id": "江苏省淮安市人民政府", "year": 2030, "source_sha256": "x",
        "dataset": "real", "is_current": True, "n_cells": 1, "n_warnings": 0, "warnings": "[]"}
    con.register("_new_reports", pd.DataFrame([report], columns=REPORT_COLUMNS))
    cell = dict(zip(CELL_SCHEMA.names, ("active_disclosure", "fees_amount", "value", 1.5, "number", "1.5", None)))
    con.register("_new_cells", _report_cells([(NEW_ID, pa.RecordBatch.from_pylist([cell], schema=CELL_SCHEMA))]))
    con.register("_new_agencies", pd.DataFrame([agency_row("江苏省淮安市人民政府", "real", None, "name")],
                                               columns=AGENCY_COLUMNS))
    con.register("_scope_df", pd.DataFrame({"agency_id": ["江苏省淮安市人民政府"]}))
    con.register("_mart_scope_df", pd.DataFrame({"agency_id": ["江苏省淮安市人民政府"]}))
    con.execute("CREATE OR REPLACE TEMP TABLE _mart_scope AS SELECT '江苏省淮安市人民政府' AS agency_id")
    con.execute(read("marts_delta/region_keys_create"))
    con.execute(read("marts_delta/peer_groups_create"))
    con.register("_prose", pd.DataFrame([], columns=FINDING_COLUMNS))
    con.register("_outbox_df", pd.DataFrame([{
        "kind": "step", "fingerprint": "T4_GROUP_SUM|江苏省淮安市人民政府|2023|review", "from_status": "open",
        "to_status": "confirmed", "actor": "张三", "note": None, "agency_id": "江苏省淮安市人民政府", "year": 2023,
        "rule": "T4_GROUP_SUM", "report_id": 1}]))
    # decisions and their log come from the review store, registered as every reader does
    reviewdb.register(con, DB_OF[0])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("sql") / "w.duckdb")
    first = make_record("江苏省淮安市人民政府", 2022, scope="jurisdiction")
    second = make_record("江苏省淮安市人民政府", 2023, scope="jurisdiction")
    second["review_litigation"]["review"]["total"] = 9
    load_records(path, [first, second, make_record("淮安市洪泽区人民政府", 2023), make_record("淮安市淮安区人民政府", 2023)])
    from analytics.warehouse.review import transition

    transition(path, "confirmed", fingerprint="T4_GROUP_SUM|江苏省淮安市人民政府|2023|review", by="张三")
    DB_OF[:] = [path]
    return path


def test_all_files_are_covered():
    names = all_names()
    assert {"schema", "report_wide_select", "report_metrics"} <= set(names)
    assert {f"rules/{r}" for r in SQL_RULES} <= set(names)
    slots = {n for n in names if re.search(r"\{[a-z_]+\}", read(n))}
    assert slots == set(RENDERED)


@pytest.mark.parametrize("name", all_names())
def test_sql_file_runs(db, name, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    try:
        set_scope(con, None)
        con.execute(read("checks/check_reports"))
        con.execute(read("checks/app_cells"))
        con.execute("CREATE OR REPLACE TEMP TABLE _batch AS SELECT report_id FROM reports")
        _frames(con)
        build = RENDERED.get(name) or FRAGMENTS.get(name)
        sql = build() if build else read(name)
        con.execute(sql, PARAMS.get(name, []))
        if name == "rules/t4_group_sum":
            assert [(r[0], r[5]) for r in con.fetchall()] == [("T4_GROUP_SUM", "review")]
        elif name == "load/insert_cells":
            assert con.execute("SELECT count(*) FROM cells WHERE report_id = ?", [NEW_ID]).fetchone() == (1,)
    finally:
        con.close()


def test_identifiers_outside_the_allow_list_are_refused():
    with pytest.raises(ValueError):
        ident("a; DROP TABLE reports")
    with pytest.raises(ValueError):
        render("report_wide_select")  # its slots left empty


def test_full_recheck_is_the_same_as_the_incremental_result(db):
    with write_session(db) as con:
        before = con.execute("SELECT fingerprint FROM findings ORDER BY 1").fetchall()
        wide.rebuild(con)
        con.execute(metrics_view_sql())
        run_checks(con, None)
        after = con.execute("SELECT fingerprint FROM findings ORDER BY 1").fetchall()
    assert before == after and before
