-- Peer groups' statistics of the default view, computed by the refresh (cube.ranks_sql).
SELECT level, kind, n_peers, q, peer_mad FROM peer_stats WHERE metric = $metric
