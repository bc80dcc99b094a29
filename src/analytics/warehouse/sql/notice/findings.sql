-- The findings a rectification notice lists: those of the year whose decision still asks the
-- agency to act ($statuses), of agencies in the region (province, city or county; NULL = all).
SELECT f.fingerprint, f.rule, f.severity, f.agency_id, coalesce(a.name, f.agency_id) AS agency_name,
       a.province, a.city, a.county, f.year, f.subject, f.message, f.expected, f.actual,
       d.status, f.report_id, r.source_path
FROM findings f
JOIN finding_decisions d ON d.fingerprint = f.fingerprint
LEFT JOIN agencies a ON a.agency_id = f.agency_id
LEFT JOIN reports r ON r.report_id = f.report_id
WHERE f.year = $year
  AND list_contains($statuses, d.status)
  AND ($region IS NULL OR a.province = $region OR a.city = $region OR a.county = $region)
ORDER BY agency_name, f.agency_id, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f.rule, f.subject
