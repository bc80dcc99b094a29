-- Every agency of the chosen region with the chosen metrics over the chosen years (largest first).
-- slot metric_values: each chosen metric's value from its sums (queries.metric_values: registry keys).
-- The table shows the $limit agencies with the most applications: they are picked from
-- agency_window's one column that orders them, and only their reports are summed for the other
-- metrics (the join hands its keys to the agency_year scan, which skips every other agency's rows).
-- Over part of the years, summing every metric of every agency first cost four times as much.
-- The sums are agency_window's: an agency's current reports of the chosen years and datasets.
WITH shown AS MATERIALIZED (
    SELECT agency_id, name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           level, kind, dataset, n_reports
    FROM agency_window(['applications'], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                       $datasets, $totals)
    ORDER BY applications_num DESC NULLS LAST, name
    LIMIT $limit
), summed AS (
    SELECT y.agency_id, sum(COLUMNS('^(' || array_to_string($metrics, '|') || ')_(num|den)$'))
    FROM agency_year y
    JOIN shown s ON s.agency_id = y.agency_id
    WHERE y.year BETWEEN $year_from AND $year_to AND list_contains($datasets, y.dataset)
    GROUP BY y.agency_id
)
SELECT agency_id, name, level, kind, dataset, n_reports,
       {metric_values}
FROM shown JOIN summed USING (agency_id)
ORDER BY applications DESC NULLS LAST, name
