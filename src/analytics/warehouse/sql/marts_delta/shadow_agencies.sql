-- While one summary table is recomputed for the scope, the relation it reads shows only the
-- scope's agencies: the model's own query then yields exactly the rows to put back.
CREATE OR REPLACE TEMP VIEW {table} AS
SELECT * FROM {catalog}.main.{table} WHERE agency_id IN (SELECT agency_id FROM _mart_scope)
