-- metric_heatmap for the default view (every year, place, level, kind and dataset): each shown
-- agency's percentile rank per metric is looked up in metric_ecdf (computed by the refresh)
-- instead of counting, for every shown agency, the agencies below it.
WITH shown AS (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_values}
    FROM agency_total
    WHERE {region}
    ORDER BY applications DESC NULLS LAST, name
    LIMIT $limit
)
SELECT s.agency_id, s.name, s.applications AS size, {percentile_columns}
FROM shown s
ORDER BY size DESC NULLS LAST, name
