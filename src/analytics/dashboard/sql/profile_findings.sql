-- The findings of one agency's current reports, every year, with their review state.
SELECT f.fingerprint, f.year, f.report_id, f.rule, f.severity, f.subject, f.message, f.expected, f.actual,
       coalesce(d.status, 'open') AS status
FROM findings_placed f
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE f.agency_id = $agency_id AND list_contains($datasets, f.dataset)
ORDER BY f.year DESC, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule, f.fingerprint
