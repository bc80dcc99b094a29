-- Peer groups' statistics over the chosen agencies (the CTE valued of metric_peers.sql): the
-- group aggregates are joined back for the MAD (window functions over every agency cost more).
SELECT s.level, s.kind, s.n_peers, s.q, median(abs(v.value - s.q[1])) AS peer_mad
FROM valued v
JOIN (SELECT level, kind, count(*) AS n_peers, quantile_cont(value, [0.5, 0.25, 0.75, 0.10, 0.90]) AS q
      FROM valued GROUP BY level, kind) s
  ON v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
GROUP BY ALL
