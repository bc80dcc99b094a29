-- The corrections of one report's cells, newest first: what was parsed, what is used now, who and why.
SELECT tbl, row_key, col_key, parsed_value, previous_value, value, reason, actor, "at"
FROM cell_corrections
WHERE report_id = $report_id
ORDER BY correction_id DESC
