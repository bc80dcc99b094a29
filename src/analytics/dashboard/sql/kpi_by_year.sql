-- Headline figures per year for the chosen region, from the year before the range to its end
-- (the year before gives the change shown on the first card), from region_year: the numerators
-- and denominators named in $columns (the headline metrics') summed.
SELECT year,
       CAST(sum(n_reports) AS BIGINT) AS n_reports,
       CAST(coalesce(sum(n_reports) FILTER (WHERE dataset = 'demo'), 0) AS BIGINT) AS n_demo,
       sum(applications_num) AS applications,
       sum(COLUMNS($columns))
FROM region_year
WHERE year BETWEEN $year_from - 1 AND $year_to AND {region}
GROUP BY year
ORDER BY year
