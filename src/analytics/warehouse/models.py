"""The relations the warehouse derives from ``report_wide``: SQL models built in dependency order.

Each model is one statement in its own file: the staging view ``report_metrics``
(``sql/report_metrics.sql``, the registry's numerators and denominators per current report) and
the marts of ``sql/marts/`` (summary tables, the default view's statistics, and the views and
macros the dashboard asks: ``agency_window``, ``year_rows``, ``whole_warehouse`` …). A model's
dependencies are the other models its SQL names, so adding one is adding a file.

``build`` is the one place they are (re)created: all of them at the end of every refresh, or only
the views and macros (cheap) after ``report_wide`` was replaced, which drops what reads it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..metrics import METRICS
from .sqlfiles import ident, read, render

STAGING = ["report_metrics"]
_WORD = re.compile(r"[a-z_][a-z0-9_]*")


def metrics_view_sql() -> str:
    """report_metrics with one <key>_num, <key>_den and <key> (num / den of the one report) per
    registry entry: its slots hold the registry's own SQL."""
    columns = ",\n           ".join(
        f"{m.num} AS {ident(k)}_num,\n           {m.den} AS {ident(k)}_den" for k, m in METRICS.items()
    )
    values = ",\n       ".join(f"CAST({ident(k)}_num AS DOUBLE) / nullif({k}_den, 0) AS {k}" for k in METRICS)
    return render("report_metrics", metric_columns=columns, values=values)


def mart_names() -> list[str]:
    folder = resources.files("analytics.warehouse").joinpath("sql/marts")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".sql"))


def _slotted() -> dict:
    """Marts whose {slots} hold numbers from a registry (one place for weights and constants)."""
    from .. import quality

    return {"report_quality": quality.mart_slots}


def model_sql(name: str) -> str:
    if name in STAGING:
        return metrics_view_sql()
    slots = _slotted().get(name)
    return render(f"marts/{name}", **slots()) if slots else read(f"marts/{name}")


def _uses(sql: str, names: set[str]) -> set[str]:
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return set(_WORD.findall(code.lower())) & names


@lru_cache(maxsize=1)
def build_order() -> tuple[str, ...]:
    """Every model after the models it reads (ties in name order, so the order is stable)."""
    names = STAGING + mart_names()
    deps = {n: _uses(model_sql(n), set(names) - {n}) for n in names}
    done: list[str] = []
    while len(done) < len(names):
        ready = [n for n in names if n not in done and deps[n] <= set(done)]
        if not ready:
            raise ValueError(f"models depend on each other in a cycle: {sorted(set(names) - set(done))}")
        done.append(ready[0])
    return tuple(done)


def is_table(name: str) -> bool:
    return re.search(r"^CREATE OR REPLACE TABLE", model_sql(name), re.M) is not None


def definitions() -> list[str]:
    """Every statement ``build`` runs, in order (part of the warehouse's schema version)."""
    return [model_sql(n) for n in build_order()]


def build(con, tables: bool = True) -> None:
    """Create every model in dependency order; with ``tables=False`` only the views and macros,
    which is what replacing ``report_wide`` (a sort, a rebuild) leaves to redo."""
    for name in build_order():
        if tables or not is_table(name):
            con.execute(model_sql(name))


SORT_GROWTH = 1.1  # re-sort once report_wide has 10 % more rows than at its last sort


def after_refresh(con, full: bool = False, agencies=None) -> None:
    """Keep report_wide sorted (when enough rows were appended since, or after a full rebuild,
    which writes agency order) and rebuild every model; with ``agencies`` (and no sort due) only
    the rows of the summary tables that those agencies' reports can change are recomputed
    (``build_for``), which gives the same tables as a full build."""
    # fetchall: an unfinished result would block the next statement's registration
    n = con.execute("SELECT count(*) FROM report_wide").fetchall()[0][0]
    rows = con.execute("SELECT value FROM warehouse_meta WHERE key = 'wide_sorted_rows'").fetchall()
    row = rows[0] if rows else None
    if full or row is None or n > SORT_GROWTH * int(row[0]):
        sort_wide(con)
        mark_sorted(con, n)
        build(con)
    elif agencies is not None:
        build_for(con, agencies)
    else:
        build(con)


# How a small refresh recomputes each summary table: the rows of the scope's agencies, of the
# region_year keys their reports fall in, or of their peer groups (level, kind), each computed by
# the model's own query over its inputs shadowed down to those rows. A table not listed here (a
# global statistic, a new mart) is rebuilt whole.
BY_AGENCY = {"agency_year": ("report_metrics",), "agency_total": ("agency_year",),
             "agency_since": ("agency_year",), "agency_metric": ("agency_total",),
             "findings_placed": ("findings",),
             "report_quality": ("report_metrics", "report_wide", "cells", "report_textsig")}
# Inputs keyed by report alone: shadowed to the scope's reports rather than by agency_id.
BY_REPORT = {"cells", "report_textsig"}
BY_REGION = {"region_year": ("report_wide", "agency_year")}
BY_PEERS = {"peer_stats": ("agency_metric",), "peer_ecdf": ("agency_metric",)}
_KIND = {**{k: "agencies" for k in BY_AGENCY}, **{k: "regions" for k in BY_REGION},
         **{k: "peers" for k in BY_PEERS}}
_INPUTS = {**BY_AGENCY, **BY_REGION, **BY_PEERS}


def _query_of(name: str) -> str:
    """A table model's SELECT (its statement without ``CREATE OR REPLACE TABLE name AS``)."""
    sql = model_sql(name)
    m = re.search(rf"^CREATE OR REPLACE TABLE {ident(name)} AS\s*$", sql, re.M)
    if m is None:
        raise ValueError(f"model {name} is not a CREATE OR REPLACE TABLE … AS statement")
    return sql[m.end():]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def build_for(con, agencies) -> None:
    """Recompute the summary tables for a refresh that touched only ``agencies``."""
    import pyarrow as pa

    con.register("_mart_scope_df", pa.table({"agency_id": pa.array(sorted(set(agencies)), pa.string())}))
    try:
        con.execute(read("marts_delta/scope"))
    finally:
        con.unregister("_mart_scope_df")
    con.execute(read("marts_delta/scope_reports"))
    catalog = _quoted(con.execute("SELECT current_database()").fetchone()[0])
    con.execute(read("marts_delta/region_keys_create"))
    con.execute(read("marts_delta/region_keys"))  # the keys before the change
    con.execute(read("marts_delta/peer_groups_create"))
    con.execute(read("marts_delta/peer_groups"))
    for name in build_order():
        if not is_table(name):
            continue
        kind = _KIND.get(name)
        if kind is None:
            con.execute(model_sql(name))
            continue
        if name == "region_year":
            con.execute(read("marts_delta/region_keys"))  # and after agency_year changed
        if name in BY_PEERS and name == next(n for n in build_order() if n in BY_PEERS):
            con.execute(read("marts_delta/peer_groups"))
        con.execute(render(f"marts_delta/delete_{kind}", table=ident(name)))
        inputs = _INPUTS[name]
        try:
            for rel in inputs:
                shadow = "reports" if kind == "agencies" and rel in BY_REPORT else kind
                con.execute(render(f"marts_delta/shadow_{shadow}", table=ident(rel), catalog=catalog))
            con.execute(render("marts_delta/insert", table=ident(name), catalog=catalog, query=_query_of(name)))
        finally:
            for rel in inputs:
                con.execute(render("marts_delta/unshadow", table=ident(rel)))


def mark_sorted(con, n_rows: int) -> None:
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('wide_sorted_rows', ?)", [str(n_rows)])


def sort_wide(con) -> None:
    """Rewrite report_wide in (province, city, county, agency, year) order.

    Batches are appended in load order, which spreads a province over the whole file; sorted, a
    region or an agency sits in a few row groups and DuckDB's zone maps skip the rest.
    """
    con.execute("CREATE OR REPLACE TABLE report_wide AS SELECT * FROM report_wide "
                "ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id, year, report_id")
    build(con, tables=False)
