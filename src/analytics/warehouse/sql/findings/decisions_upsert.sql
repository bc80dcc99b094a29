-- The current decision of each finding of _changes_df becomes the step just logged.
INSERT INTO finding_decisions (fingerprint, status, note, decided_at, actor, agency_id, year, rule, report_id)
SELECT fingerprint, to_status, note, $at, actor, agency_id, year, rule, report_id FROM _changes_df
ON CONFLICT (fingerprint) DO UPDATE SET
    status = excluded.status, note = excluded.note, decided_at = excluded.decided_at, actor = excluded.actor,
    agency_id = coalesce(excluded.agency_id, finding_decisions.agency_id),
    year = coalesce(excluded.year, finding_decisions.year),
    rule = coalesce(excluded.rule, finding_decisions.rule),
    report_id = coalesce(excluded.report_id, finding_decisions.report_id)
