-- For each shown agency, the peers with a smaller value, looked up in the default view's ECDF.
SELECT s.agency_id, e.n_below
FROM shown s
JOIN peer_ecdf e
  ON e.metric = $metric AND e.level IS NOT DISTINCT FROM s.level AND e.kind IS NOT DISTINCT FROM s.kind
 AND e.value = s.value
