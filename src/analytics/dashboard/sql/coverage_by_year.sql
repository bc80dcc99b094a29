-- Per year: how many agencies of the region have a report, out of all agencies seen in any year.
-- An agency has one current report per year, so region_year's report counts are the agency
-- counts; the agencies seen in any year are the rows of agency_total.
SELECT year,
       CAST(sum(n_reports) AS BIGINT) AS n_agencies,
       (SELECT count(DISTINCT agency_id) FROM agency_total WHERE {region}) AS n_known
FROM region_year
WHERE year BETWEEN $year_from AND $year_to AND {region}
GROUP BY year
ORDER BY year
