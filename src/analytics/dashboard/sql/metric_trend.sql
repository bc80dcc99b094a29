-- One metric per year and group (level, kind, place, agency ...), the largest groups only.
-- {source} is the region × year cube unless the grouping or a chosen agency needs the reports.
WITH g AS (
    SELECT year, coalesce(CAST({group} AS VARCHAR), '未知') AS grp, {n_reports} AS n_reports,
           {num} AS num, {den} AS den
    FROM {source}
    WHERE {where}{agency_filter}
    GROUP BY ALL
), top AS (
    SELECT grp FROM g GROUP BY grp ORDER BY sum(n_reports) DESC, grp LIMIT $max_groups
)
SELECT g.*, {value} AS value
FROM g SEMI JOIN top USING (grp)
ORDER BY grp, year
