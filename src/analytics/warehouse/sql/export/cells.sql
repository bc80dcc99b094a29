-- Every cell read, in long form, with the report's agency and year; a cell a reviewer corrected
-- has corrected = true, the value in force, and the value the parser read in parsed_value.
WITH fixed AS (
    SELECT report_id, tbl, row_key, col_key, arg_min(parsed_value, correction_id) AS parsed_value
    FROM cell_corrections
    GROUP BY report_id, tbl, row_key, col_key
)
SELECT c.report_id, r.agency_id, r.year, r.is_current, c.tbl, c.row_key, c.col_key, c.value, c.kind, c.raw, c.src,
       x.report_id IS NOT NULL AS corrected,
       CASE WHEN x.report_id IS NOT NULL THEN x.parsed_value ELSE c.value END AS parsed_value
FROM cells c JOIN reports r ON r.report_id = c.report_id
LEFT JOIN fixed x ON x.report_id = c.report_id AND x.tbl = c.tbl AND x.row_key = c.row_key AND x.col_key = c.col_key
ORDER BY r.agency_id, r.year, c.report_id
