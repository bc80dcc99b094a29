-- Per metric and distinct value, how many agencies have a smaller value and how many have one:
-- the default view's heat map ranks are lookups.
CREATE OR REPLACE TABLE metric_ecdf AS
SELECT metric, value,
       sum(n) OVER (PARTITION BY metric ORDER BY value) - n AS n_below,
       sum(n) OVER (PARTITION BY metric) AS n_values
FROM (SELECT metric, value, count(*) AS n FROM agency_metric GROUP BY ALL)
ORDER BY metric, value
