-- Every agency of the chosen region with the chosen metrics over the chosen years (largest first).
-- slot metric_values: each chosen metric's value from its sums (queries.metric_values: registry keys).
SELECT agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level,
       kind,
       dataset,
       n_reports,
       {metric_values}
FROM agency_window($metrics, $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                    $datasets, $totals)
ORDER BY applications DESC NULLS LAST, name
LIMIT $limit
