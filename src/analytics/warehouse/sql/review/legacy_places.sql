-- Where each finding is, for decisions written before they kept it.
SELECT fingerprint, agency_id, year, rule, report_id FROM findings
