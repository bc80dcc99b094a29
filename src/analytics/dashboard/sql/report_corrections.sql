-- The corrections of one report's cells, newest first: what was parsed, what is used now, who and
-- why, and whether a warehouse write has applied it yet (entered ones are seen at once).
SELECT tbl, row_key, col_key, parsed_value, previous_value, value, reason, actor, "at", '已应用' AS state
FROM cell_corrections
WHERE report_id = $report_id
UNION ALL
SELECT tbl, row_key, col_key, NULL, NULL, value, reason, actor, "at", '待应用' AS state
FROM queued_corrections
WHERE report_id = $report_id
  AND warehouse_id = (SELECT value FROM warehouse_meta WHERE key = 'warehouse_id')
  AND queue_id > coalesce((SELECT CAST(value AS BIGINT) FROM warehouse_meta WHERE key = 'correction_queue'), 0)
  AND agency_id = (SELECT agency_id FROM reports WHERE report_id = $report_id)
ORDER BY "at" DESC
