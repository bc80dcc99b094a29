-- Forget the findings of the agencies about to be re-checked.
DELETE FROM findings WHERE agency_id IN (SELECT agency_id FROM _scope)
