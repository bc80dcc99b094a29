"""Creating and upgrading the warehouse's tables and views (idempotent)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import duckdb

from .. import fields as F
from . import cube, wide
from .metrics import METRIC_NAMES
from .sqlfiles import ident, read, render


def metrics_view_sql() -> str:
    values = ",\n       ".join(
        f"CAST({ident(m)}_num AS DOUBLE) / nullif({m}_den, 0) AS {m}" for m in METRIC_NAMES
    )
    return render("report_metrics", values=values)


@lru_cache(maxsize=1)
def schema_version() -> str:
    """The hash of every definition a warehouse is built from (stored in warehouse_meta)."""
    return _fingerprint()


def _fingerprint() -> str:
    parts = [read("schema"), metrics_view_sql(), ",".join(wide.wide_columns()), *cube.definitions(),
             repr([tuple(vars(f).values()) for f in F.all_fields()])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def ensure_schema(con) -> None:
    """Base tables, labels, report_wide (rebuilt when fields.csv changed its columns), views.

    A warehouse already built by this version of the code is recognised by a hash of its
    definitions and left alone, which keeps small loads fast.
    """
    version = schema_version()
    try:
        row = con.execute(read("meta/get_version")).fetchone()
    except duckdb.CatalogException:
        row = None
    if row and row[0] == version:
        return
    con.execute(read("schema"))
    con.execute(read("meta/clear_labels"))
    rows = F.all_fields()
    # One statement for every field: executemany costs a statement per field (~70 ms).
    con.execute(render("meta/insert_label", rows=", ".join(["(?, ?, ?, ?, ?)"] * len(rows))),
                [v for f in rows for v in (f.table, f.key, f.template, f.label, f.notes)])
    have = [r[0] for r in con.execute(read("meta/wide_columns")).fetchall()]
    if not have:
        wide.create(con)
    elif have != wide.wide_columns():
        wide.rebuild(con)
    con.execute(metrics_view_sql())
    cube.rebuild(con)
    con.execute(read("meta/set_version"), [version])
