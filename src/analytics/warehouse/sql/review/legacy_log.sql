-- An older warehouse's own decision log, in order.
SELECT log_id, fingerprint, from_status, to_status, actor, note, "at" FROM main.finding_decision_log ORDER BY log_id
