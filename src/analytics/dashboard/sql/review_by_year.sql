-- Review and litigation results per year, with the applications they come from.
SELECT year, count(*) AS n_reports, sum(a_new_received) AS applications, {review_sums}
FROM report_wide
WHERE is_current AND {where}
GROUP BY year
ORDER BY year
