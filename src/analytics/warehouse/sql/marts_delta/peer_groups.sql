-- The peer groups (level, kind) the scope's agencies are in, before and after agency_metric changes.
INSERT INTO _peer_groups
SELECT DISTINCT level, kind FROM agency_metric WHERE agency_id IN (SELECT agency_id FROM _mart_scope)
