-- Review and litigation results per year (every rv_, ld_ and la_ column), with the applications
-- they come from (region_year).
SELECT year, CAST(sum(n_reports) AS BIGINT) AS n_reports, sum(a_new_received) AS applications,
       sum(COLUMNS('^(rv|ld|la)_'))
FROM region_year
WHERE {where}
GROUP BY year
ORDER BY year
