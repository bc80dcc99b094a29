-- The distribution of one metric across agencies, summarised per group in the database
-- (box-plot statistics), so that the chart never needs every agency's value.
-- {agency_rows}: one row per agency of the chosen region and years (queries._agency_rows).
WITH valued AS (
    SELECT {group} AS grp, {num} AS num, {den} AS den FROM ({agency_rows})
), v AS (
    SELECT grp, {value} AS value FROM valued
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
