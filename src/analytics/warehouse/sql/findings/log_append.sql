-- Append the steps of the registered frame _changes_df to the decision log (never updated).
INSERT INTO finding_decision_log (log_id, fingerprint, from_status, to_status, actor, note, "at")
SELECT nextval('decision_log_seq'), fingerprint, from_status, to_status, actor, note, $at
FROM (SELECT * FROM _changes_df ORDER BY fingerprint)
