-- Every agency of the region seen in any year (its current reports), and whether it has a current
-- report of $year: the evaluation's coverage list (who did not publish). Filters as the dashboard's.
SELECT agency_id, any_value(name) AS name, any_value(dataset) AS dataset, any_value(level) AS level,
       any_value(kind) AS kind, min(year) AS first_year, max(year) AS last_year,
       CAST(count(*) AS INTEGER) AS n_years, bool_or(year = $year) AS published,
       max(year) FILTER (WHERE year < $year) AS last_before
FROM agency_year
WHERE {region}
GROUP BY agency_id
ORDER BY published, name, agency_id
