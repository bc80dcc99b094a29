-- Outcome groups per year (the composition of what was decided), from region_year.
SELECT year, CAST(sum(n_reports) AS BIGINT) AS n_reports,
       sum(a_granted) AS a_granted,
       sum(a_partially_granted) AS a_partially_granted,
       sum(denied) AS denied,
       sum(unable) AS unable,
       sum(refused) AS refused,
       sum(other_handled) AS other_handled,
       sum(a_total_processed) AS total_processed
FROM region_year
WHERE {where}
GROUP BY year
ORDER BY year
