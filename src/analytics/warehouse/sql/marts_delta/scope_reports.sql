-- The reports, every version, of the agencies a small refresh recomputes (for shadow_reports).
CREATE OR REPLACE TEMP TABLE _mart_reports AS
SELECT report_id FROM reports WHERE agency_id IN (SELECT agency_id FROM _mart_scope) ORDER BY report_id
