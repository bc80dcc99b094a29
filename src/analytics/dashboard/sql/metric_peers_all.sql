-- metric_peers for the default view (every year, place, level, kind and dataset): the peer
-- groups' statistics and percentile ranks come from peer_stats and peer_ecdf, which the refresh
-- computes once from agency_total, instead of being recomputed over every agency per view.
WITH valued AS (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           level, kind, n_reports, num, den, {value} AS value
    FROM (SELECT agency_id, name, dataset, level, kind, n_reports, {num} AS num, {den} AS den
          FROM agency_total WHERE {region})
    WHERE {value} IS NOT NULL
), scored AS (
    SELECT v.*, s.n_peers,
           s.q[1] AS peer_median, s.q[2] AS peer_p25, s.q[3] AS peer_p75,
           s.q[4] AS peer_p10, s.q[5] AS peer_p90, s.peer_mad,
           (v.value - s.q[1]) / nullif(1.4826 * s.peer_mad, 0) AS robust_score
    FROM valued v
    JOIN peer_stats s
      ON s.metric = $metric AND v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
    WHERE len($agencies) = 0 OR list_contains($agencies, v.agency_id)
), shown AS (
    SELECT * FROM scored
    ORDER BY CASE $order
                 WHEN 'asc' THEN value
                 WHEN 'outlier' THEN -abs(coalesce(robust_score, 0))
                 ELSE -value
             END,
             name
    LIMIT $limit
)
SELECT s.agency_id, s.name, s.level, s.kind, s.n_reports, s.num, s.den, s.value,
       s.n_peers, s.peer_median, s.peer_p25, s.peer_p75, s.peer_p10, s.peer_p90,
       coalesce(e.n_below / nullif(s.n_peers - 1, 0), 0) AS peer_percentile,
       s.peer_mad, s.robust_score
FROM shown s
JOIN peer_ecdf e
  ON e.metric = $metric AND e.level IS NOT DISTINCT FROM s.level AND e.kind IS NOT DISTINCT FROM s.kind
 AND e.value = s.value
ORDER BY CASE $order
             WHEN 'asc' THEN s.value
             WHEN 'outlier' THEN -abs(coalesce(s.robust_score, 0))
             ELSE -s.value
         END,
         s.name
