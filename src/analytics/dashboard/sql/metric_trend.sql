-- One metric per year and group (level, kind, place, agency ...), the largest groups only.
WITH g AS (
    SELECT year, coalesce(CAST({group} AS VARCHAR), '未知') AS grp, count(*) AS n_reports,
           {num} AS num, {den} AS den
    FROM report_metrics
    WHERE {where} AND (len($agencies) = 0 OR list_contains($agencies, agency_id))
    GROUP BY ALL
), top AS (
    SELECT grp FROM g GROUP BY grp ORDER BY sum(n_reports) DESC, grp LIMIT $max_groups
)
SELECT g.*, {value} AS value
FROM g SEMI JOIN top USING (grp)
ORDER BY grp, year
