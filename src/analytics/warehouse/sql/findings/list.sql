-- Findings for `analytics findings`: optional rule, agency (substring of the id or name),
-- severity and decision status filters, all bound as parameters ($rule … NULL = any).
SELECT f.fingerprint, f.rule, f.severity, f.agency_id, f.year, f.subject, f.message,
       coalesce(d.status, 'open') AS status, d.note, d.actor
FROM findings f
LEFT JOIN finding_decisions d ON d.fingerprint = f.fingerprint
LEFT JOIN agencies a ON a.agency_id = f.agency_id
WHERE ($rule IS NULL OR f.rule = upper($rule))
  AND ($agency IS NULL OR f.agency_id LIKE '%' || $agency || '%' OR a.name LIKE '%' || $agency || '%')
  AND ($severity IS NULL OR f.severity = $severity)
  AND ($status IS NULL OR coalesce(d.status, 'open') = $status)
ORDER BY f.agency_id, f.year, f.rule, f.subject
LIMIT $limit
