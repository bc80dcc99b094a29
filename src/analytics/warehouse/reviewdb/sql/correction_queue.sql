-- One correction as a reviewer entered it (applied to the warehouse by its next write).
INSERT INTO queued_corrections (warehouse_id, report_id, agency_id, tbl, row_key, col_key, value, reason, actor, "at")
VALUES (:warehouse_id, :report_id, :agency_id, :tbl, :row_key, :col_key, :value, :reason, :actor, :at)
RETURNING queue_id
