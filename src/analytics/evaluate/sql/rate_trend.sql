-- Per year of the region, the summed numerator and denominator of each metric in $columns (pairs
-- <key>_num, <key>_den from the registry) with the number of reports: the evaluation's headline
-- figures and their trend.
SELECT year, CAST(sum(n_reports) AS BIGINT) AS n_reports, sum(COLUMNS($columns))
FROM region_year
WHERE year BETWEEN $year_from AND $year_to AND {region}
GROUP BY year
ORDER BY year
