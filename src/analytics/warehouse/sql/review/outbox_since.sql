-- The review steps a published warehouse write decided, after the last one the store applied.
SELECT seq, kind, fingerprint, from_status, to_status, actor, note, agency_id, year, rule, report_id, "at"
FROM review_outbox
WHERE seq > ?
ORDER BY seq
