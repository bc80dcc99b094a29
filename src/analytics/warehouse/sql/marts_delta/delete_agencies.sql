-- The rows of one agency-keyed summary table that the scope's agencies own.
DELETE FROM {table} WHERE agency_id IN (SELECT agency_id FROM _mart_scope)
