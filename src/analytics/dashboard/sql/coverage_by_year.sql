-- Per year: how many agencies of the region have a report, out of all agencies seen in any year.
WITH a AS (SELECT agency_id, year FROM report_wide WHERE is_current AND {region})
SELECT year,
       count(DISTINCT agency_id) AS n_agencies,
       (SELECT count(DISTINCT agency_id) FROM a) AS n_known
FROM a
WHERE year BETWEEN $year_from AND $year_to
GROUP BY year
ORDER BY year
