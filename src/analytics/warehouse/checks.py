"""Running every rule of docs/spec/rules.md and storing what they find.

Each SQL rule (``sql/rules/*.sql``) selects rows of (rule, severity, report_id, agency_id, year,
subject, message, expected, actual) over the temp tables ``_check`` (current reports of the
agencies in scope) and ``_app_cells`` (table 3 with blank totals derived). The prose rules add rows
of the same shape from Python. A finding's fingerprint is ``rule|agency|year|subject``: it names
the same published contradiction however often the report is re-ingested or re-checked.
"""

from __future__ import annotations

import pyarrow as pa

from ..fields import TEMPLATE_2021_FIRST_YEAR
from .prose import prose_findings
from .sqlfiles import read, render

SQL_RULES = {
    "t3_flow": "report", "t3_outcome_sum": "report", "t3_column_sum": "report", "t4_group_sum": "report",
    "negative": "report", "not_integer": "report", "t3_blank_total": "report", "template_year": "report",
    "implausible_level": "report",
    "x_carryover": "cross_year", "x_stock": "cross_year", "x_jump": "cross_year", "x_missing_year": "cross_year",
    "h_sum": "cross_agency", "duplicate_text": "cross_agency",
}
FINDING_COLUMNS = ["rule", "severity", "report_id", "agency_id", "year", "subject", "message", "expected", "actual"]
PROSE_SCHEMA = pa.schema([("rule", pa.string()), ("severity", pa.string()), ("report_id", pa.int64()),
                          ("agency_id", pa.string()), ("year", pa.int32()), ("subject", pa.string()),
                          ("message", pa.string()), ("expected", pa.float64()), ("actual", pa.float64())])


def rule_sql(name: str) -> str:
    """The query of one SQL rule, its slots filled: the year the 2021 template starts, and the
    selection of MinHash bands that DUPLICATE_TEXT and the scope widening share."""
    return render(f"rules/{name}", new_template_year=str(TEMPLATE_2021_FIRST_YEAR),
                  shared_bands=read("checks/shared_bands"))


def scope_expand_sql() -> str:
    return render("checks/scope_expand", shared_bands=read("checks/shared_bands"))


def set_scope(con, agency_ids) -> None:
    """The temp table _scope(agency_id) every scoped query reads; None means every agency."""
    if agency_ids is None:
        con.execute(read("checks/scope_all"))
    else:
        con.register("_scope_df", pa.table({"agency_id": pa.array(sorted(set(agency_ids)), pa.string())}))
        con.execute(read("checks/scope_from_frame"))
        con.unregister("_scope_df")


def run_checks(con, agency_ids=None) -> list[str]:
    """Recompute the findings of these agencies (None: every agency); returns the widened scope."""
    set_scope(con, agency_ids)
    if agency_ids is not None:
        con.execute(scope_expand_sql())
    con.execute(read("checks/check_reports"))
    con.execute(read("checks/app_cells"))
    con.execute(read("checks/delete_scope"))
    for name, scope in SQL_RULES.items():
        con.execute(render("checks/insert_findings", query=rule_sql(name)), [scope])
    prose = prose_findings(con)
    if prose:
        con.register("_prose", pa.Table.from_pylist([dict(zip(FINDING_COLUMNS, row)) for row in prose],
                                                    schema=PROSE_SCHEMA))
        con.execute(render("checks/insert_findings", query=read("checks/prose_rows")), ["report"])
        con.unregister("_prose")
    return [r[0] for r in con.execute(read("checks/scope_list")).fetchall()]
