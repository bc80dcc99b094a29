-- The agency of one report (a point read: entering a correction must not scan cells).
SELECT agency_id FROM reports WHERE report_id = $report_id
