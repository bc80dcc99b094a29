-- Every correction entered, as readers register it (the warehouse says which it has applied).
SELECT queue_id, warehouse_id, report_id, agency_id, tbl, row_key, col_key, value, reason, actor, "at"
FROM queued_corrections
ORDER BY queue_id
