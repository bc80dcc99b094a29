-- Every cell read from one report, with its raw text and where it came from. A correction entered
-- in the review store and not yet applied by a warehouse write shows at once, marked as waiting.
WITH waiting AS (
    SELECT tbl, row_key, col_key, arg_max(value, queue_id) AS value
    FROM queued_corrections
    WHERE report_id = $report_id
      AND warehouse_id = (SELECT value FROM warehouse_meta WHERE key = 'warehouse_id')
      AND queue_id > coalesce((SELECT CAST(value AS BIGINT) FROM warehouse_meta WHERE key = 'correction_queue'), 0)
      AND agency_id = (SELECT agency_id FROM reports WHERE report_id = $report_id)
    GROUP BY tbl, row_key, col_key
)
SELECT c.tbl, c.row_key, c.col_key, coalesce(w.value, c.value) AS value,
       CASE WHEN w.value IS NULL THEN c.kind ELSE 'number' END AS kind, c.raw,
       CASE WHEN w.value IS NULL THEN c.src ELSE '人工更正（待应用）' END AS src
FROM cells c
LEFT JOIN waiting w ON w.tbl = c.tbl AND w.row_key = c.row_key AND w.col_key = c.col_key
WHERE c.report_id = $report_id
UNION ALL
SELECT w.tbl, w.row_key, w.col_key, w.value, 'number', NULL, '人工更正（待应用）'
FROM waiting w
WHERE NOT EXISTS (SELECT 1 FROM cells c WHERE c.report_id = $report_id AND c.tbl = w.tbl
                  AND c.row_key = w.row_key AND c.col_key = w.col_key)
