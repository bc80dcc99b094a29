-- Every cell read, in long form, with the report's agency and year.
SELECT c.report_id, r.agency_id, r.year, r.is_current, c.tbl, c.row_key, c.col_key, c.value, c.kind, c.raw, c.src
FROM cells c JOIN reports r ON r.report_id = c.report_id
ORDER BY r.agency_id, r.year, c.report_id
