"""``region_year``: report_wide summed per region, level, kind, dataset, year and template.

Every dashboard filter is one of its keys, so a query that only adds figures up over the chosen
region and years reads this table (about 11× fewer rows than report_wide at national scale)
instead of report_wide. It is rebuilt whole after each refresh: a few seconds at a million
reports, and it keeps the table exactly in step with report_wide.
"""

from __future__ import annotations

from . import wide
from ..metrics import METRIC_KEYS as METRIC_NAMES, METRICS
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


def definitions() -> list[str]:
    """Every statement the rebuild runs, in order (part of the warehouse's schema version)."""
    return [build_sql(), agency_sql(), UNIQUE_SQL, *ranks_sql(), FINDINGS_SQL]


def rebuild(con) -> None:
    """region_year; agency_total, every agency's metric sums over all its current reports, which
    the per-agency pages read when the chosen years are all the years there are; the default
    view's peer statistics and percentile tables; findings_placed."""
    for sql in definitions():
        con.execute(sql)


# Findings of current reports with the columns the dashboard filters by, in the order the
# findings list shows them: the data-quality page filters this instead of joining a hundred
# thousand findings to a million reports on every view. Decisions stay in their own table.
FINDINGS_SQL = """CREATE OR REPLACE TABLE findings_placed AS
SELECT f.fingerprint, f.rule, f.severity, f.scope, f.year, f.subject, f.message, f.expected, f.actual,
       r.report_id, r.agency_id, r.name, r.dataset, r.province, r.city, r.county, r.level, r.kind
FROM findings f
JOIN report_wide r ON r.is_current AND r.agency_id = f.agency_id AND r.year = f.year
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, r.name, f.year, f.rule, f.fingerprint"""


# With one row per agency (no agency has reports in two datasets) the pages read agency_total as
# it is instead of summing it per agency again.
UNIQUE_SQL = (
    "INSERT OR REPLACE INTO warehouse_meta "
    "SELECT 'agency_total_unique', CASE WHEN count(*) = count(DISTINCT agency_id) THEN 'true' ELSE 'false' END "
    "FROM agency_total UNION ALL "
    "SELECT 'agency_total_datasets', coalesce(string_agg(DISTINCT dataset, ',' ORDER BY dataset), '') "
    "FROM agency_total"
)


def metric_value(name: str) -> str:
    """One metric's value from a row of per-agency sums; the pages use the same expression, so
    the values in the tables below compare equal to theirs."""
    return METRICS[name].value_sql(ident(name + "_num"), ident(name + "_den"))


def ranks_sql() -> list[str]:
    """Whole-warehouse, all-years statistics of every metric across agencies, which the comparison
    page shows when nothing is filtered (the default view):

    - ``peer_stats``: per metric and peer group (level, kind) the count, median, quartiles,
      P10/P90 and median absolute deviation of the agencies' values;
    - ``peer_ecdf`` / ``metric_ecdf``: per metric (and peer group) and distinct value, how many
      agencies are below it — a percentile rank is then a lookup instead of a sort. Agencies'
      values repeat a lot (small agencies have small fractions), so these hold far fewer rows than
      agencies × metrics.

    Every agency's values are unpivoted once into a temporary long table (UNPIVOT leaves out
    NULLs, the values with no denominator). About 3 s at a million reports; on a small warehouse a
    few hundredths of a second, where one statement per metric cost a tenth in planning alone.
    """
    values = ", ".join(f"{metric_value(m)} AS {ident(m)}" for m in METRIC_NAMES)
    same_group = "v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind"
    return [
        f"CREATE OR REPLACE TEMP TABLE _metric_values AS UNPIVOT (SELECT level, kind, {values} "
        f"FROM agency_total) ON {', '.join(ident(m) for m in METRIC_NAMES)} INTO NAME metric VALUE value",
        "CREATE OR REPLACE TABLE peer_stats AS "
        "WITH s AS (SELECT metric, level, kind, count(*) AS n_peers, "
        "quantile_cont(value, [0.5, 0.25, 0.75, 0.10, 0.90]) AS q FROM _metric_values GROUP BY ALL) "
        "SELECT s.metric, s.level, s.kind, any_value(s.n_peers) AS n_peers, any_value(s.q) AS q, "
        "median(abs(v.value - s.q[1])) AS peer_mad "
        f"FROM _metric_values v JOIN s ON v.metric = s.metric AND {same_group} "
        "GROUP BY s.metric, s.level, s.kind ORDER BY metric",
        "CREATE OR REPLACE TABLE peer_ecdf AS SELECT metric, level, kind, value, "
        "sum(n) OVER (PARTITION BY metric, level, kind ORDER BY value) - n AS n_below "
        "FROM (SELECT metric, level, kind, value, count(*) AS n FROM _metric_values GROUP BY ALL) "
        "ORDER BY metric, value",
        "CREATE OR REPLACE TABLE metric_ecdf AS SELECT metric, value, "
        "sum(n) OVER (PARTITION BY metric ORDER BY value) - n AS n_below, "
        "sum(n) OVER (PARTITION BY metric) AS n_values "
        "FROM (SELECT metric, value, count(*) AS n FROM _metric_values GROUP BY ALL) ORDER BY metric, value",
        "DROP TABLE _metric_values",
    ]


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
