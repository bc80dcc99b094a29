-- Per metric, peer group and distinct value, how many agencies of the group have a smaller value:
-- the default view's percentile ranks are lookups. Values repeat a lot (small agencies have small
-- fractions), so this holds far fewer rows than agencies × metrics.
CREATE OR REPLACE TABLE peer_ecdf AS
SELECT metric, level, kind, value,
       sum(n) OVER (PARTITION BY metric, level, kind ORDER BY value) - n AS n_below
FROM (SELECT metric, level, kind, value, count(*) AS n FROM agency_metric GROUP BY ALL)
ORDER BY metric, value
