-- The report versions the rules look at: the current report of each (agency, year) in _scope.
CREATE OR REPLACE TEMP TABLE _check AS
SELECT r.report_id, r.agency_id, r.year, r.template, r.scope, a.level, a.kind, a.parent_id
FROM reports r
JOIN agencies a ON a.agency_id = r.agency_id
WHERE r.is_current AND r.agency_id IN (SELECT agency_id FROM _scope)
