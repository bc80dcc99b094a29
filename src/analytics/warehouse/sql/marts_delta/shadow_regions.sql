-- As shadow_agencies, for the region_year keys the scope touches.
CREATE OR REPLACE TEMP VIEW {table} AS
SELECT * FROM {catalog}.main.{table} t
WHERE EXISTS (SELECT 1 FROM _region_keys k
              WHERE t.dataset IS NOT DISTINCT FROM k.dataset AND t.province IS NOT DISTINCT FROM k.province
                AND t.city IS NOT DISTINCT FROM k.city AND t.county IS NOT DISTINCT FROM k.county
                AND t.level IS NOT DISTINCT FROM k.level AND t.kind IS NOT DISTINCT FROM k.kind
                AND t.year IS NOT DISTINCT FROM k.year AND t.template IS NOT DISTINCT FROM k.template)
