-- For each shown agency, the peers with a smaller value, counted among the chosen agencies.
SELECT s.agency_id, count(p.value) AS n_below
FROM shown s
LEFT JOIN valued p
  ON p.level IS NOT DISTINCT FROM s.level AND p.kind IS NOT DISTINCT FROM s.kind AND p.value < s.value
GROUP BY s.agency_id
