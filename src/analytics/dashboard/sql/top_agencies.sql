-- Agencies with the most new applications over the chosen years.
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       any_value(level) AS level,
       any_value(kind) AS kind,
       count(*) AS n_reports,
       sum(applications_num) AS applications
FROM report_metrics
WHERE {where}
GROUP BY agency_id
HAVING sum(applications_num) IS NOT NULL
ORDER BY applications DESC, name
LIMIT $limit
