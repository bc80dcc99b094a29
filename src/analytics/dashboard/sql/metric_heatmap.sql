-- The largest agencies of the region by metric, each metric as its percentile rank among all
-- agencies of the region (so different units share one colour scale). Only the shown agencies
-- are ranked, by counting the agencies below them, instead of sorting every agency per metric.
-- {source}: report_metrics, or agency_total (one row per agency) when every year is chosen.
WITH per_agency AS MATERIALIZED (
    SELECT agency_id,
           any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_columns}
    FROM {source}
    WHERE {where}
    GROUP BY agency_id
), shown AS (
    SELECT * FROM per_agency ORDER BY applications DESC NULLS LAST, name LIMIT $limit
), below AS (
    SELECT s.agency_id, {below_columns}
    FROM shown s CROSS JOIN per_agency p
    GROUP BY s.agency_id
), n AS (
    SELECT {count_columns} FROM per_agency
)
SELECT s.agency_id, s.name, s.applications AS size, {percentile_columns}
FROM shown s JOIN below b ON b.agency_id = s.agency_id CROSS JOIN n
ORDER BY size DESC NULLS LAST, name
