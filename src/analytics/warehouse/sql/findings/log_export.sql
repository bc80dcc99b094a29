-- The whole decision log for export, with the finding's place when it is known, in order.
SELECT l.log_id, l.fingerprint, coalesce(a.name, d.finding_agency) AS agency, d.finding_year, d.finding_rule,
       l.from_status, l.to_status, l.actor, l.note, l."at"
FROM finding_decision_log l
LEFT JOIN finding_decisions d ON d.fingerprint = l.fingerprint
LEFT JOIN agencies a ON a.agency_id = d.finding_agency
ORDER BY l.log_id
