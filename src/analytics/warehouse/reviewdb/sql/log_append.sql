-- One step of the decision log (never updated).
INSERT INTO finding_decision_log (fingerprint, from_status, to_status, actor, note, "at")
VALUES (:fingerprint, :from_status, :to_status, :actor, :note, :at)
