-- Findings of the chosen reports with their decision, filtered by rule, severity and status.
WITH r AS (
    SELECT agency_id, year, report_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name
    FROM report_wide WHERE is_current AND {where}
)
SELECT f.fingerprint, f.rule, f.severity, f.scope, r.name, f.year, f.subject, f.message,
       f.expected, f.actual, coalesce(d.status, 'open') AS status, d.note, d.decided_at,
       r.report_id
FROM findings f
JOIN r ON f.agency_id = r.agency_id AND f.year = r.year
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE (len($rules) = 0 OR list_contains($rules, f.rule))
  AND (len($severities) = 0 OR list_contains($severities, f.severity))
  AND ($status = 'all' OR coalesce(d.status, 'open') = $status)
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, r.name, f.year, f.rule
LIMIT $limit
