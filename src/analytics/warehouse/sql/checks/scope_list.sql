-- The agencies a check covered.
SELECT agency_id FROM _scope
