"""Every .sql file of the warehouse runs against a real warehouse holding reports."""

from __future__ import annotations

import pytest

from analytics.warehouse import load_records, write_session
from analytics.warehouse import wide
from analytics.warehouse.checks import SQL_RULES, run_checks
from analytics.warehouse.refresh import set_scope
from analytics.warehouse.schema import ensure_schema, metrics_view_sql
from analytics.warehouse.sqlfiles import all_names, ident, read, render
from test_warehouse_records import fresh_warehouse, make_record

# Files with slots are rendered by the module that owns their allow-list.
RENDERED = {"report_wide_select": wide.select_sql, "report_metrics": metrics_view_sql}
PARAMS = {"findings/list": {"rule": None, "agency": "淮安", "severity": None, "status": None, "limit": 10}}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("sql") / "w.duckdb")
    first = make_record("江苏省淮安市人民政府", 2022, scope="jurisdiction")
    second = make_record("江苏省淮安市人民政府", 2023, scope="jurisdiction")
    second["review_litigation"]["review"]["total"] = 9
    load_records(path, [first, second, make_record("淮安市洪泽区人民政府", 2023), make_record("淮安市淮安区人民政府", 2023)])
    return path


def test_all_files_are_covered():
    names = all_names()
    assert {"schema", "report_wide_select", "report_metrics"} <= set(names)
    assert {f"rules/{r}" for r in SQL_RULES} <= set(names)


@pytest.mark.parametrize("name", all_names())
def test_sql_file_runs(db, name):
    with write_session(db) as con:  # a private copy: nothing here is kept beyond the test's own writes
        ensure_schema(con)
        set_scope(con, None)
        con.execute(read("checks/check_reports"))
        con.execute(read("checks/app_cells"))
        con.execute("CREATE OR REPLACE TEMP TABLE _batch AS SELECT report_id FROM reports")
        if name in RENDERED:
            sql = RENDERED[name]()
            con.execute(sql if name != "report_wide_select" else f"SELECT count(*) FROM ({sql})")
        else:
            con.execute(read(name), PARAMS.get(name, []))
        if name.startswith(("rules/", "export/", "findings/", "checks/prose")):
            rows = con.fetchall()
            assert isinstance(rows, list)
            if name == "rules/t4_group_sum":
                assert [(r[0], r[5]) for r in rows] == [("T4_GROUP_SUM", "review")]


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
