-- The rows of a peer statistic whose group (level, kind) the scope touches.
DELETE FROM {table} t
WHERE EXISTS (SELECT 1 FROM _peer_groups g
              WHERE t.level IS NOT DISTINCT FROM g.level AND t.kind IS NOT DISTINCT FROM g.kind)
