-- Every step of one finding's decision, oldest first.
SELECT log_id, from_status, to_status, actor, note, "at"
FROM finding_decision_log
WHERE fingerprint = $fingerprint
ORDER BY log_id
