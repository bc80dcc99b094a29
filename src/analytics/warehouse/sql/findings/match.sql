-- The findings a decision step applies to, with their current status: one fingerprint, or every
-- finding matching the filters (rule, agency id or name substring, severity, year, current
-- status; NULL = any) or in the list $fingerprints. A fingerprint named on its own may be a
-- decision whose finding is gone. Agencies are looked at only when an agency filter is given
-- (parameters are bound before planning, so the other branch costs nothing at a million reports).
SELECT f.fingerprint, coalesce(d.status, 'open') AS status, f.agency_id, f.year, f.rule, f.report_id
FROM findings f
LEFT JOIN finding_decisions d ON d.fingerprint = f.fingerprint
WHERE ($fingerprint IS NULL OR f.fingerprint = $fingerprint)
  AND ($fingerprints IS NULL OR list_contains($fingerprints, f.fingerprint))
  AND ($rule IS NULL OR f.rule = upper($rule))
  AND ($agency IS NULL OR f.agency_id LIKE '%' || $agency || '%'
       OR f.agency_id IN (SELECT agency_id FROM agencies WHERE name LIKE '%' || $agency || '%'))
  AND ($severity IS NULL OR f.severity = $severity)
  AND ($year IS NULL OR f.year = $year)
  AND ($from_status IS NULL OR coalesce(d.status, 'open') = $from_status)
UNION ALL
SELECT d.fingerprint, d.status, d.finding_agency, d.finding_year, d.finding_rule, d.seen_report_id
FROM finding_decisions d
WHERE $fingerprint IS NOT NULL AND d.fingerprint = $fingerprint
  AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.fingerprint = d.fingerprint)
ORDER BY 1
