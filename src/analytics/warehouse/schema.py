"""Creating and upgrading the warehouse's tables and views (idempotent)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import duckdb

from .. import fields as F
from . import models, wide
from ..metrics import METRICS
from .models import metrics_view_sql  # noqa: F401  (kept importable from here, where it used to live)
from .sqlfiles import read


METRIC_DEF_COLUMNS = ("key", "position", "label", "kind", "unit", "polarity", "is_ratio", "template",
                      "template_sensitive", "numerator", "denominator", "formula", "base",
                      "flag_yellow", "flag_red")


def metric_def_rows() -> list[tuple]:
    """The registry as rows of metric_defs, so that SQL can join a metric's kind and polarity."""
    return [(k, i, m.label, m.kind, m.unit, m.polarity, m.is_ratio, m.template, m.template_sensitive,
             m.numerator, m.denominator, m.formula, m.base, m.flag_yellow, m.flag_red)
            for i, (k, m) in enumerate(METRICS.items())]


def fill_metric_defs(con) -> None:
    rows = metric_def_rows()
    con.execute("DELETE FROM metric_defs")
    marks = "(" + ", ".join(["?"] * len(METRIC_DEF_COLUMNS)) + ")"
    con.execute(f"INSERT INTO metric_defs VALUES {', '.join([marks] * len(rows))}",
                [v for r in rows for v in r])


@lru_cache(maxsize=1)
def schema_version() -> str:
    """The hash of every definition a warehouse is built from (stored in warehouse_meta)."""
    return _fingerprint()


def _fingerprint() -> str:
    parts = [read("schema"), repr(metric_def_rows()), ",".join(wide.wide_columns()), *models.definitions(),
             repr([tuple(vars(f).values()) for f in F.all_fields()])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def ensure_schema(con) -> None:
    """Base tables, labels, report_wide (rebuilt when fields.csv changed its columns), models.

    A warehouse already built by this version of the code is recognised by a hash of its
    definitions and left alone, which keeps small loads fast.
    """
    version = schema_version()
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema'").fetchone()
    except duckdb.CatalogException:
        row = None
    if row and row[0] == version:
        return
    con.execute(read("schema"))
    con.execute("DELETE FROM field_labels")
    rows = F.all_fields()
    # One statement for every field: executemany costs a statement per field (~70 ms).
    con.execute("INSERT INTO field_labels (tbl, key, template, label, notes) VALUES "
                + ", ".join(["(?, ?, ?, ?, ?)"] * len(rows)),
                [v for f in rows for v in (f.table, f.key, f.template, f.label, f.notes)])
    have = [r[0] for r in con.execute(read("meta/wide_columns")).fetchall()]
    if not have:
        wide.create(con)
    elif have != wide.wide_columns():
        wide.rebuild(con)
    fill_metric_defs(con)
    models.build(con)
    _recheck_current(con)
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('schema', ?)", [version])


def _recheck_current(con) -> None:
    """A warehouse written when the last version loaded was current whatever its date: the
    versions are chosen again by load/choose_current, and the agencies whose figures change
    get their wide rows and findings refreshed. A warehouse that agrees already costs one scan."""
    from .loader import choose_current
    from .refresh import refresh

    changed = choose_current(con, None)
    if changed:
        refresh(con, changed)
