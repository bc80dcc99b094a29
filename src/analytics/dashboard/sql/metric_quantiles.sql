-- The distribution of one metric ($metric, a registry key; $is_ratio its kind) across agencies,
-- summarised per group in the database (box-plot statistics), so that the chart never needs every
-- agency's value. slot group: the grouping expression (queries.GROUPS).
WITH valued AS MATERIALIZED (
    SELECT {group} AS grp,
           COLUMNS('^' || $metric || '_num$') AS num, COLUMNS('^' || $metric || '_den$') AS den
    FROM agency_window([$metric], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                    $datasets, $totals)
), v AS (
    SELECT grp, metric_value($is_ratio, num, den) AS value
    FROM valued
)
SELECT coalesce(grp, '未知') AS grp,
       count(value) AS n_agencies,
       min(value) AS min,
       quantile_cont(value, 0.10) AS p10,
       quantile_cont(value, 0.25) AS p25,
       median(value) AS p50,
       quantile_cont(value, 0.75) AS p75,
       quantile_cont(value, 0.90) AS p90,
       max(value) AS max
FROM v
WHERE value IS NOT NULL
GROUP BY ALL
ORDER BY grp
