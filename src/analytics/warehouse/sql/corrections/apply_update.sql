-- The corrected value is the cell's value from now on (its printed text stays in raw).
UPDATE cells SET value = $value, kind = 'number'
WHERE report_id = $report_id AND tbl = $tbl AND row_key = $row_key AND col_key = $col_key
