-- Decided findings of _scope that are still there but now on another report version.
SELECT d.fingerprint, f.report_id
FROM finding_decisions d
JOIN findings f ON f.fingerprint = d.fingerprint
WHERE f.report_id IS NOT NULL AND d.seen_report_id IS DISTINCT FROM f.report_id
  AND d.finding_agency IN (SELECT agency_id FROM _scope)
ORDER BY d.fingerprint
