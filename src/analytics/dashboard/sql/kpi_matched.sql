-- Headline figures of the chosen year and the year before over the agencies that reported in both
-- years only (like with like: a year-on-year change is not a change in who reported), from
-- agency_year's one row per current report: the numerators and denominators named in $columns.
WITH chosen AS (
    SELECT agency_id, year, applications_num, COLUMNS($columns)
    FROM agency_year
    WHERE year IN ($year_to - 1, $year_to) AND {region}
), matched AS (
    SELECT agency_id FROM chosen GROUP BY agency_id HAVING count(DISTINCT year) = 2
)
SELECT year, CAST(count(*) AS BIGINT) AS n_reports, sum(applications_num) AS applications,
       sum(COLUMNS($columns))
FROM chosen
WHERE agency_id IN (SELECT agency_id FROM matched)
GROUP BY year
ORDER BY year
