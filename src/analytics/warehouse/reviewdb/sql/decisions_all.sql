-- Every current decision, as readers register it.
SELECT fingerprint, status, note, decided_at, actor, finding_agency, finding_year, finding_rule, seen_report_id
FROM finding_decisions
