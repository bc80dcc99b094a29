"""The wide table ``report_wide``: column lists generated from fields.csv, filled by one pivot."""

from __future__ import annotations

from .. import fields as F
from .sqlfiles import ident, lit, render

GROUP_PREFIX = {"review": "rv", "litigation_direct": "ld", "litigation_after_review": "la"}
PART_COLS = [c for c in F.APPLICATION_COLS if c != "total"]
FLOW_ROWS = {"new_received": "nr", "carried_over": "co", "carried_forward": "cf"}
# Outcome groups whose rows are also summed per applicant column (ag_<group>_<col>), so the
# applicant → outcome flow never has to read the long cells table.
OUTCOME_GROUP_ROWS = {
    "granted": ["granted"],
    "partially_granted": ["partially_granted"],
    "denied": F.DENIED_ROWS,
    "unable": F.UNABLE_ROWS,
    "refused": F.REFUSED_ROWS,
    "other_handled": F.OTHER_ROWS_2021,
}


def applicant_group_columns() -> list[str]:
    return [f"ag_{g}_{c}" for g in OUTCOME_GROUP_ROWS for c in PART_COLS]


def nullable_sum(exprs: list[str]) -> str:
    """Σ with blanks as 0, but NULL when every term is NULL (nothing was published)."""
    terms = " + ".join(f"coalesce({e}, 0)" for e in exprs)
    return f"CASE WHEN coalesce({', '.join(exprs)}) IS NULL THEN NULL ELSE {terms} END"


def group_sum_exprs(prefix: str = "") -> dict[str, str]:
    """denied, unable, refused, other_handled as expressions over ``a_<row>`` columns."""
    a = lambda k: f"{prefix}a_{ident(k)}"  # noqa: E731
    others = nullable_sum([a(k) for k in F.OTHER_ROWS_2021])
    return {
        "denied": nullable_sum([a(k) for k in F.DENIED_ROWS]),
        "unable": nullable_sum([a(k) for k in F.UNABLE_ROWS]),
        "refused": nullable_sum([a(k) for k in F.REFUSED_ROWS]),
        "other_handled": f"coalesce({others}, {a('other_total')})",
    }


def wide_columns() -> list[str]:
    cols = ["report_id", "agency_id", "year", "template", "scope", "dataset", "published", "is_current",
            "name", "level", "kind", "province", "city", "county", "parent_id"]
    cols += [f"a_{k}" for k in F.APPLICATION_ROWS] + ["a_total_derived"]
    cols += [f"{p}_{c}" for p in FLOW_ROWS.values() for c in PART_COLS]
    cols += list(group_sum_exprs())
    cols += applicant_group_columns()
    cols += [f"{g}_{c}" for g in GROUP_PREFIX.values() for c in F.REVIEW_COLS]
    cols += [f"ad_{k}" for k in F.ACTIVE_KEYS] + ["n_findings_error", "n_findings_warning"]
    return cols


def applicant_group_sql() -> list[str]:
    """Per applicant column, the sum of each group's rows; like ``other_handled``, the 2019
    template's single 其他处理 row stands in when none of the 2021 rows is there."""
    def rows_sum(keys: list[str], col: str) -> str:
        rows = ", ".join(lit(k) for k in keys)
        return f"sum(c.value) FILTER (WHERE c.row_key IN ({rows}) AND c.col_key = {lit(col)})"

    out = []
    for g, keys in OUTCOME_GROUP_ROWS.items():
        for c in PART_COLS:
            expr = rows_sum(keys, c)
            if g == "other_handled":
                expr = f"coalesce({expr}, {rows_sum(['other_total'], c)})"
            out.append(f"{expr} AS ag_{g}_{c}")
    return out


def select_sql() -> str:
    a_cols = ",\n           ".join(
        f"coalesce(max(tot) FILTER (WHERE row_key = {lit(k)}), max(parts) FILTER (WHERE row_key = {lit(k)})) AS a_{k}"
        for k in F.APPLICATION_ROWS
    )
    col_cols = ",\n           ".join(
        f"max(c.value) FILTER (WHERE c.row_key = {lit(row)} AND c.col_key = {lit(col)}) AS {p}_{col}"
        for row, p in FLOW_ROWS.items() for col in PART_COLS
    )
    rv_cols = ",\n           ".join(
        f"max(c.value) FILTER (WHERE c.row_key = {lit(g)} AND c.col_key = {lit(col)}) AS {p}_{col}"
        for g, p in GROUP_PREFIX.items() for col in F.REVIEW_COLS
    )
    ag_cols = ",\n           ".join(applicant_group_sql())
    ad_cols = ",\n           ".join(f"max(c.value) FILTER (WHERE c.row_key = {lit(k)}) AS ad_{k}" for k in F.ACTIVE_KEYS)
    sums = group_sum_exprs("app.")
    return render(
        "report_wide_select",
        a_cols=a_cols,
        col_cols=col_cols,
        rv_cols=rv_cols,
        ag_cols=ag_cols,
        ad_cols=ad_cols,
        a_names=", ".join(f"app.a_{k}" for k in F.APPLICATION_ROWS),
        col_names=", ".join(f"app_cols.{p}_{c}" for p in FLOW_ROWS.values() for c in PART_COLS),
        group_sums=",\n       ".join(f"{expr} AS {name}" for name, expr in sums.items()),
        ag_names=", ".join(f"ag.{n}" for n in applicant_group_columns()),
        rv_names=", ".join(f"rv.{p}_{c}" for p in GROUP_PREFIX.values() for c in F.REVIEW_COLS),
        ad_names=", ".join(f"ad.ad_{k}" for k in F.ACTIVE_KEYS),
    )


def insert_batch(con) -> None:
    """Add the report_wide rows of the reports in ``_batch``."""
    con.execute("INSERT INTO report_wide " + select_sql())


def create(con) -> None:
    """Create report_wide (empty: no report in _batch) with the columns fields.csv implies."""
    con.execute("CREATE OR REPLACE TEMP TABLE _batch (report_id BIGINT)")
    con.execute("CREATE TABLE report_wide AS " + select_sql())


def rebuild(con) -> None:
    """Drop and refill report_wide from every report version: one pivot over all cells. The views
    and macros over it are dropped with it and recreated by ``models.build``."""
    from . import models

    con.execute("DROP VIEW IF EXISTS report_metrics")
    con.execute("DROP TABLE IF EXISTS report_wide")
    con.execute("CREATE OR REPLACE TEMP TABLE _batch AS SELECT report_id FROM reports")
    con.execute("CREATE TABLE report_wide AS " + select_sql())
    models.build(con, tables=False)
