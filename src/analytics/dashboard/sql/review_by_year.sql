-- Review and litigation results per year, with the applications they come from (region × year cube).
SELECT year, CAST(sum(n_reports) AS BIGINT) AS n_reports, sum(a_new_received) AS applications, {review_sums}
FROM region_year
WHERE {where}
GROUP BY year
ORDER BY year
