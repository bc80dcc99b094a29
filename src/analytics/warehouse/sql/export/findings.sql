-- Findings with the reviewer's decision, when there is one.
SELECT f.fingerprint, f.rule, f.severity, f.scope, f.report_id, f.agency_id, f.year, f.subject, f.message,
       f.expected, f.actual, coalesce(d.status, 'open') AS status, d.note, d.decided_at
FROM findings f LEFT JOIN finding_decisions d ON d.fingerprint = f.fingerprint
ORDER BY f.agency_id, f.year, f.rule, f.subject
