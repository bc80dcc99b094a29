-- Scope: the agencies of the registered frame _scope_df.
CREATE OR REPLACE TEMP TABLE _scope AS SELECT CAST(agency_id AS VARCHAR) AS agency_id FROM _scope_df
