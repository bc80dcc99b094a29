-- The same agency's current report of the previous year, if loaded.
SELECT report_id FROM reports
WHERE agency_id = $agency_id AND year = $year - 1 AND is_current
