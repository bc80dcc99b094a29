-- Scope: every agency.
CREATE OR REPLACE TEMP TABLE _scope AS SELECT agency_id FROM agencies
