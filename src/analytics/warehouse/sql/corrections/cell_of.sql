-- One cell of one report as it is now, with the report's agency, and the parsed value when the
-- cell was corrected before (the first correction kept it).
SELECT r.agency_id, r.year, c.value, c.kind,
       (SELECT cc.parsed_value FROM cell_corrections cc
        WHERE cc.report_id = r.report_id AND cc.tbl = $tbl AND cc.row_key = $row_key AND cc.col_key = $col_key
        ORDER BY cc.correction_id LIMIT 1) AS first_parsed_value,
       (SELECT cc.parsed_kind FROM cell_corrections cc
        WHERE cc.report_id = r.report_id AND cc.tbl = $tbl AND cc.row_key = $row_key AND cc.col_key = $col_key
        ORDER BY cc.correction_id LIMIT 1) AS first_parsed_kind,
       (SELECT count(*) FROM cell_corrections cc
        WHERE cc.report_id = r.report_id AND cc.tbl = $tbl AND cc.row_key = $row_key AND cc.col_key = $col_key)
        AS n_before,
       c.report_id IS NOT NULL AS has_cell
FROM reports r
LEFT JOIN cells c ON c.report_id = r.report_id AND c.tbl = $tbl AND c.row_key = $row_key AND c.col_key = $col_key
WHERE r.report_id = $report_id
