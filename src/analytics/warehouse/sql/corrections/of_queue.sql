-- The warehouse's record of queued corrections, by queue id.
SELECT cc.queue_id, cc.correction_id, cc.report_id, r.agency_id, cc.tbl, cc.row_key, cc.col_key,
       cc.parsed_value, cc.previous_value, cc.value
FROM cell_corrections cc JOIN reports r ON r.report_id = cc.report_id
WHERE cc.queue_id IN (SELECT unnest($queue_ids))
