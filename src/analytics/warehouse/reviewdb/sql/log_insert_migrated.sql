-- A step of a warehouse's own log, copied once when its decisions move to this store.
INSERT INTO finding_decision_log (log_id, fingerprint, from_status, to_status, actor, note, "at")
VALUES (:log_id, :fingerprint, :from_status, :to_status, :actor, :note, :at)
