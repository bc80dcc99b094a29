-- Outcome groups per year (the composition of what was decided).
SELECT year, count(*) AS n_reports,
       sum(a_granted) AS a_granted,
       sum(a_partially_granted) AS a_partially_granted,
       sum(denied) AS denied,
       sum(unable) AS unable,
       sum(refused) AS refused,
       sum(other_handled) AS other_handled,
       sum(a_total_processed) AS total_processed
FROM report_wide
WHERE is_current AND {where}
GROUP BY year
ORDER BY year
