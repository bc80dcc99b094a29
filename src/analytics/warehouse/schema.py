"""Creating and upgrading the warehouse's tables and views (idempotent)."""

from __future__ import annotations

from .. import fields as F
from . import wide
from .metrics import METRIC_NAMES
from .sqlfiles import ident, read, render


def metrics_view_sql() -> str:
    values = ",\n       ".join(
        f"CAST({ident(m)}_num AS DOUBLE) / nullif({m}_den, 0) AS {m}" for m in METRIC_NAMES
    )
    return render("report_metrics", values=values)


def ensure_schema(con) -> None:
    """Base tables, labels, report_wide (rebuilt when fields.csv changed its columns), views."""
    con.execute(read("schema"))
    con.execute("DELETE FROM field_labels")
    con.executemany(
        "INSERT INTO field_labels VALUES (?, ?, ?, ?, ?)",
        [(f.table, f.key, f.template, f.label, f.notes) for f in F.all_fields()],
    )
    have = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'report_wide' "
        "AND table_schema = current_schema() ORDER BY ordinal_position").fetchall()]
    if not have:
        wide.create(con)
    elif have != wide.wide_columns():
        wide.rebuild(con)
    con.execute(metrics_view_sql())
