-- The corrections of one warehouse entered after queue id ?, in the order they were entered.
SELECT queue_id, warehouse_id, report_id, agency_id, tbl, row_key, col_key, value, reason, actor, "at"
FROM queued_corrections
WHERE warehouse_id = ? AND queue_id > ?
ORDER BY queue_id
