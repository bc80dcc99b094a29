-- A decided finding that is still there after a newer version of its report was loaded now
-- lives on that version (the fingerprint leaves the version out, so the decision applies as is).
UPDATE finding_decisions d SET seen_report_id = f.report_id
FROM findings f
WHERE f.fingerprint = d.fingerprint AND f.report_id IS NOT NULL
  AND d.seen_report_id IS DISTINCT FROM f.report_id
  AND d.finding_agency IN (SELECT agency_id FROM _scope)
