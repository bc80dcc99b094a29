-- The agencies whose rows of the summary tables a small refresh recomputes (frame _mart_scope_df).
CREATE OR REPLACE TEMP TABLE _mart_scope AS SELECT DISTINCT agency_id FROM _mart_scope_df
