-- The largest agencies of the region by metric, each metric as its percentile rank among all
-- agencies of the region (so different units share one colour scale). Only the shown agencies
-- are ranked, by counting the agencies below them, instead of sorting every agency per metric.
-- {agency_rows}: one row per agency of the chosen region and years (queries._agency_rows).
WITH per_agency AS MATERIALIZED (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_values}
    FROM ({agency_rows})
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
