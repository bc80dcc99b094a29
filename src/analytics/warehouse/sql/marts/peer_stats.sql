-- The default view's peer statistics: per metric and peer group (level, kind) the number of
-- agencies with a value, [median, P25, P75, P10, P90] and the median absolute deviation from the
-- median. The group aggregates are joined back for the MAD (a window over every agency costs more).
CREATE OR REPLACE TABLE peer_stats AS
WITH s AS (
    SELECT metric, level, kind, count(*) AS n_peers,
           quantile_cont(value, [0.5, 0.25, 0.75, 0.10, 0.90]) AS q
    FROM agency_metric
    GROUP BY ALL
)
SELECT s.metric, s.level, s.kind, any_value(s.n_peers) AS n_peers, any_value(s.q) AS q,
       median(abs(v.value - s.q[1])) AS peer_mad
FROM agency_metric v
JOIN s ON v.metric = s.metric AND v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
GROUP BY s.metric, s.level, s.kind
ORDER BY metric
