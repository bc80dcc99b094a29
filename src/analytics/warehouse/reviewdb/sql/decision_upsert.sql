-- The current decision of a finding becomes the step just logged; where it was is kept when the
-- step does not know it (a decision whose finding is gone).
INSERT INTO finding_decisions (fingerprint, status, note, decided_at, actor,
                               finding_agency, finding_year, finding_rule, seen_report_id)
VALUES (:fingerprint, :to_status, :note, :at, :actor, :agency_id, :year, :rule, :report_id)
ON CONFLICT (fingerprint) DO UPDATE SET
    status = excluded.status, note = excluded.note, decided_at = excluded.decided_at, actor = excluded.actor,
    finding_agency = coalesce(excluded.finding_agency, finding_decisions.finding_agency),
    finding_year = coalesce(excluded.finding_year, finding_decisions.finding_year),
    finding_rule = coalesce(excluded.finding_rule, finding_decisions.finding_rule),
    seen_report_id = coalesce(excluded.seen_report_id, finding_decisions.seen_report_id)
