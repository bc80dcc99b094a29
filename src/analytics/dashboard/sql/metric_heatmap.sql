-- The largest agencies of the region by metric, each metric as its percentile among all agencies
-- of the region (so different units share one colour scale).
WITH per_agency AS (
    SELECT agency_id,
           any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_columns}
    FROM report_metrics
    WHERE {where}
    GROUP BY agency_id
), ranked AS (
    SELECT agency_id, name, applications AS size, {percentile_columns}
    FROM per_agency
)
SELECT * FROM ranked ORDER BY size DESC NULLS LAST, name LIMIT $limit
