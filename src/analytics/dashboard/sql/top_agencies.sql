-- Agencies with the most new applications over the chosen years.
-- {source}: report_metrics, or agency_total (one row per agency) when every year is chosen.
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       any_value(level) AS level,
       any_value(kind) AS kind,
       {n_reports} AS n_reports,
       sum(applications_num) AS applications
FROM {source}
WHERE {where}
GROUP BY agency_id
HAVING sum(applications_num) IS NOT NULL
ORDER BY applications DESC, name
LIMIT $limit
