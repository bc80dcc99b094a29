-- One metric ($metric, a registry key; $is_ratio its kind) per year and group (level, kind, place,
-- agency ...), the largest groups only. year_rows is region_year unless the grouping ($group) is
-- the agency or agencies are chosen, when it is agency_year's one row per report. slot group: the
-- grouping expression (queries.GROUPS).
WITH g AS MATERIALIZED (
    SELECT year, coalesce(CAST({group} AS VARCHAR), '未知') AS grp,
           CAST(sum(n_reports) AS BIGINT) AS n_reports,
           sum(COLUMNS('^' || $metric || '_num$')) AS num, sum(COLUMNS('^' || $metric || '_den$')) AS den
    FROM year_rows([$metric], $group = 'agency' OR len($agencies) > 0)
    WHERE {where} AND (len($agencies) = 0 OR list_contains($agencies, agency_id))
    GROUP BY ALL
), top AS (
    SELECT grp FROM g GROUP BY grp ORDER BY sum(n_reports) DESC, grp LIMIT $max_groups
)
SELECT g.*, metric_value($is_ratio, num, den) AS value
FROM g SEMI JOIN top USING (grp)
ORDER BY grp, year
