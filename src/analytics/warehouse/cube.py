"""``region_year``: report_wide summed per region, level, kind, dataset, year and template.

Every dashboard filter is one of its keys, so a query that only adds figures up over the chosen
region and years reads this table (about 11× fewer rows than report_wide at national scale)
instead of report_wide. It is rebuilt whole after each refresh: a few seconds at a million
reports, and it keeps the table exactly in step with report_wide.
"""

from __future__ import annotations

from . import wide
from .metrics import METRIC_NAMES
from .sqlfiles import ident

KEYS = ["dataset", "province", "city", "county", "level", "kind", "year", "template"]
_NOT_SUMMED = set(wide.wide_columns()[:15])


def summed_columns() -> list[str]:
    """The additive report_wide columns, each stored as its sum over the cube's rows."""
    return [c for c in wide.wide_columns() if c not in _NOT_SUMMED]


def metric_columns() -> list[str]:
    return [f"{m}_{part}" for m in METRIC_NAMES for part in ("num", "den")]


def build_sql() -> str:
    # The two sides are aggregated apart and joined on the ~10⁵ cube keys: joining the million
    # report rows first cost about four times more.
    keys = ", ".join(KEYS)
    same = " AND ".join(f"m.{k} IS NOT DISTINCT FROM w.{k}" for k in KEYS)
    sums = ",\n           ".join(f"sum({ident(c)}) AS {ident(c)}" for c in summed_columns())
    msums = ",\n           ".join(f"sum({ident(c)}) AS {ident(c)}" for c in metric_columns())
    return (
        "CREATE OR REPLACE TABLE region_year AS\n"
        f"WITH w AS (\n    SELECT {keys}, count(*) AS n_reports,\n           {sums}\n"
        f"    FROM report_wide WHERE is_current GROUP BY {keys}\n"
        f"), m AS (\n    SELECT {keys},\n           {msums}\n"
        f"    FROM report_metrics GROUP BY {keys}\n)\n"
        f"SELECT w.*, m.* EXCLUDE ({keys})\n"
        f"FROM w LEFT JOIN m ON {same}\n"
        "ORDER BY w.province, w.city NULLS FIRST, w.county NULLS FIRST, w.year"
    )


def agency_sql() -> str:
    msums = ",\n       ".join(f"sum({ident(c)}) AS {ident(c)}" for c in metric_columns())
    return (
        "CREATE OR REPLACE TABLE agency_total AS\n"
        "SELECT agency_id, dataset, any_value(name) AS name, any_value(level) AS level,\n"
        "       any_value(kind) AS kind, any_value(province) AS province, any_value(city) AS city,\n"
        "       any_value(county) AS county, any_value(parent_id) AS parent_id,\n"
        "       any_value(template) AS template, count(*) AS n_reports,\n"
        f"       {msums}\n"
        "FROM report_metrics\n"
        "GROUP BY agency_id, dataset\n"
        "ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id"
    )


def rebuild(con) -> None:
    """region_year, and agency_total: every agency's metric sums over all its current reports,
    which the per-agency pages read when the chosen years are all the years there are."""
    con.execute(build_sql())
    con.execute(agency_sql())


SORT_GROWTH = 1.1  # re-sort once report_wide has 10 % more rows than at its last sort


def after_refresh(con, full: bool = False) -> None:
    """Keep report_wide sorted (when enough rows were appended since, or after a full rebuild,
    which writes agency order) and rebuild the cube."""
    n = con.execute("SELECT count(*) FROM report_wide").fetchone()[0]
    row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'wide_sorted_rows'").fetchone()
    if full or row is None or n > SORT_GROWTH * int(row[0]):
        sort_wide(con)
        mark_sorted(con, n)
    rebuild(con)


def mark_sorted(con, n_rows: int) -> None:
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('wide_sorted_rows', ?)", [str(n_rows)])


def sort_wide(con) -> None:
    """Rewrite report_wide in (province, city, county, agency, year) order.

    Batches are appended in load order, which spreads a province over the whole file; sorted, a
    region or an agency sits in a few row groups and DuckDB's zone maps skip the rest. The view
    over the table is recreated because replacing the table drops it.
    """
    from .schema import metrics_view_sql

    con.execute("CREATE OR REPLACE TABLE report_wide AS SELECT * FROM report_wide "
                "ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id, year, report_id")
    con.execute(metrics_view_sql())
