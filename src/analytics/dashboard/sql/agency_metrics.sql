-- Every agency of the chosen region with every metric over the chosen years (largest first).
-- {agency_rows}: one row per agency of the chosen region and years (queries._agency_rows).
SELECT agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level,
       kind,
       dataset,
       n_reports,
       {metric_values}
FROM ({agency_rows})
ORDER BY applications DESC NULLS LAST, name
LIMIT $limit
