-- The prose rules' rows, registered as the frame _prose.
SELECT rule, severity, report_id, agency_id, year, subject, message, expected, actual FROM _prose
