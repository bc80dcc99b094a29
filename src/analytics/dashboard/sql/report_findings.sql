-- Findings about one report (its own and those of its agency and year across reports).
SELECT f.fingerprint, f.rule, f.severity, f.scope, f.subject, f.message, f.expected, f.actual,
       coalesce(d.status, 'open') AS status, d.note
FROM findings f
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE f.report_id = $report_id OR (f.agency_id = $agency_id AND f.year = $year)
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule
