-- Every agency of the chosen region with every metric over the chosen years (largest first).
-- {source}: report_metrics, or agency_total (one row per agency) when every year is chosen.
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       any_value(level) AS level,
       any_value(kind) AS kind,
       any_value(dataset) AS dataset,
       {n_reports} AS n_reports,
       {metric_columns}
FROM {source}
WHERE {where}
GROUP BY agency_id
ORDER BY applications DESC NULLS LAST, name
LIMIT $limit
