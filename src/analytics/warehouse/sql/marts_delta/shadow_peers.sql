-- As shadow_agencies, for the peer groups the scope touches.
CREATE OR REPLACE TEMP VIEW {table} AS
SELECT * FROM {catalog}.main.{table} t
WHERE EXISTS (SELECT 1 FROM _peer_groups g
              WHERE t.level IS NOT DISTINCT FROM g.level AND t.kind IS NOT DISTINCT FROM g.kind)
