-- Every agency of the chosen region with every metric over the chosen years (largest first).
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       any_value(level) AS level,
       any_value(kind) AS kind,
       any_value(dataset) AS dataset,
       count(*) AS n_reports,
       {metric_columns}
FROM report_metrics
WHERE {where}
GROUP BY agency_id
ORDER BY applications DESC NULLS LAST, name
LIMIT $limit
