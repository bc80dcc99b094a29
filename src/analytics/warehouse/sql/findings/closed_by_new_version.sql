-- Decided problems that a corrected, republished report no longer has: the finding is gone and
-- the current report of its agency and year is another version than the one it was last seen on.
-- A finding that went away without a new version (a rule changed) is not among them.
SELECT d.fingerprint, d.status, d.agency_id, d.year, d.rule, r.report_id, r.source_path, r.loaded_at,
       coalesce(a.name, d.agency_id) AS agency_name
FROM finding_decisions d
JOIN reports r ON r.agency_id = d.agency_id AND r.year = d.year AND r.is_current
LEFT JOIN agencies a ON a.agency_id = d.agency_id
WHERE list_contains($statuses, d.status)
  AND d.report_id IS NOT NULL AND r.report_id <> d.report_id
  AND d.agency_id IN (SELECT agency_id FROM _scope)
  AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.fingerprint = d.fingerprint)
ORDER BY d.fingerprint
