-- Headline figures per year for the chosen region, from the year before the range to its end
-- (the year before gives the change shown on the first card).
SELECT year,
       count(*) AS n_reports,
       count(*) FILTER (WHERE dataset = 'demo') AS n_demo,
       sum(applications_num) AS applications,
       {headline_sums}
FROM report_metrics
WHERE year BETWEEN $year_from - 1 AND $year_to AND {region}
GROUP BY year
ORDER BY year
