"""``report_wide`` of the synthetic warehouse, laid out as docs/warehouse.md describes.

The staged per-report arrays already hold every wide column; this joins the agency attributes and
the finding counts, and writes the rows sorted by place and year. Sorting matters at a
million reports: a province, a city or one agency then lives in a few row groups, and DuckDB's
min/max zone maps skip the rest.
"""

from __future__ import annotations

WIDE_SELECT = """
WITH counts AS (
    SELECT report_id,
           count(*) FILTER (WHERE severity = 'error') AS n_err,
           count(*) FILTER (WHERE severity = 'warning') AS n_warn
    FROM findings f
    WHERE report_id IS NOT NULL
    GROUP BY report_id
)
SELECT r.report_id, r.agency_id, r.year, r.template, r.scope, r.dataset, r.published, r.is_current,
       a.name, a.level, a.kind, a.province, a.city, a.county, a.parent_id,
       w.* EXCLUDE (report_id, agency_id, year, template, published_days),
       CAST(coalesce(c.n_err, 0) AS INTEGER) AS n_findings_error,
       CAST(coalesce(c.n_warn, 0) AS INTEGER) AS n_findings_warning
FROM reports r
JOIN synth_wide w USING (report_id)
JOIN agencies a ON a.agency_id = r.agency_id
LEFT JOIN counts c ON c.report_id = r.report_id
ORDER BY a.province, a.city NULLS FIRST, a.county NULLS FIRST, r.agency_id, r.year
"""


def fill_wide(con) -> list[str]:
    """Write report_wide; returns wide columns the warehouse has but the population left NULL.

    The warehouse's schema owns the column list (it creates the empty table), so rows go in by
    name; without it the table is created from the staged columns.
    """
    have = wide_columns(con)
    if not have:
        con.execute(f"CREATE TABLE report_wide AS {WIDE_SELECT}")
        return []
    con.execute("DELETE FROM report_wide")
    con.execute(f"INSERT INTO report_wide BY NAME {WIDE_SELECT}")
    staged = {r[0] for r in con.execute("DESCRIBE synth_wide").fetchall()}
    staged |= {"scope", "dataset", "published", "is_current", "name", "level", "kind", "province",
               "city", "county", "parent_id", "n_findings_error", "n_findings_warning"}
    return [c for c in have if c not in staged]


def wide_columns(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'report_wide' "
        "AND table_schema = current_schema() ORDER BY ordinal_position").fetchall()]
