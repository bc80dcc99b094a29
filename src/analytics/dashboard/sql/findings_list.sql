-- Findings of the chosen reports with their decision, filtered by rule, severity and status.
-- findings_placed: the findings of current reports with their place (built by the refresh).
SELECT f.fingerprint, f.rule, f.severity, f.scope,
       f.name || CASE WHEN f.dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       f.year, f.subject, f.message, f.expected, f.actual,
       coalesce(d.status, 'open') AS status, d.note, d.decided_at, f.report_id, f.agency_id
FROM findings_placed f
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE {where}
  AND (len($rules) = 0 OR list_contains($rules, f.rule))
  AND (len($severities) = 0 OR list_contains($severities, f.severity))
  AND ($status = 'all' OR coalesce(d.status, 'open') = $status)
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, name, f.year, f.rule, f.fingerprint
LIMIT $limit
