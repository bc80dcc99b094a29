-- The distribution of one metric across agencies, summarised per group in the database
-- (box-plot statistics), so that the chart never needs every agency's value.
-- {source}: report_metrics, or agency_total (one row per agency) when every year is chosen.
WITH per_agency AS (
    SELECT agency_id, any_value({group}) AS grp, {num} AS num, {den} AS den
    FROM {source}
    WHERE {where}
    GROUP BY agency_id
), valued AS (
    SELECT grp, {value} AS value FROM per_agency
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
FROM valued
WHERE value IS NOT NULL
GROUP BY ALL
ORDER BY grp
