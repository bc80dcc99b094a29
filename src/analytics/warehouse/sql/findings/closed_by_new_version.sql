-- Decided problems that a corrected, republished report no longer has: the finding is gone and
-- the current report of its agency and year is another version than the one it was last seen on.
-- A finding that went away without a new version (a rule changed) is not among them.
SELECT d.fingerprint, d.status, d.finding_agency, d.finding_year, d.finding_rule, r.report_id, r.source_path,
       r.loaded_at, coalesce(a.name, d.finding_agency) AS agency_name
FROM finding_decisions d
JOIN reports r ON r.agency_id = d.finding_agency AND r.year = d.finding_year AND r.is_current
LEFT JOIN agencies a ON a.agency_id = d.finding_agency
WHERE list_contains($statuses, d.status)
  AND d.seen_report_id IS NOT NULL AND r.report_id <> d.seen_report_id
  AND d.finding_agency IN (SELECT agency_id FROM _scope)
  AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.fingerprint = d.fingerprint)
ORDER BY d.fingerprint
