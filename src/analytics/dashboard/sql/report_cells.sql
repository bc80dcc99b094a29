-- Every cell read from one report, with its raw text and where it came from.
SELECT tbl, row_key, col_key, value, kind, raw, src
FROM cells
WHERE report_id = $report_id
