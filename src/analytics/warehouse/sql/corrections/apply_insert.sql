-- A cell the parser did not find at all, entered by a reviewer.
INSERT INTO cells (report_id, tbl, row_key, col_key, value, kind, raw, src)
VALUES ($report_id, $tbl, $row_key, $col_key, $value, 'number', NULL, '人工更正')
