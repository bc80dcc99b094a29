-- The whole log, in order, as readers register it.
SELECT log_id, fingerprint, from_status, to_status, actor, note, "at" FROM finding_decision_log ORDER BY log_id
