-- Every correction (of one report when $report_id is given), oldest first, with the report's agency.
SELECT cc.correction_id, cc.report_id, a.name, r.year, cc.tbl, cc.row_key, cc.col_key, cc.parsed_value,
       cc.previous_value, cc.value, cc.reason, cc.actor, cc."at"
FROM cell_corrections cc
JOIN reports r ON r.report_id = cc.report_id
LEFT JOIN agencies a ON a.agency_id = r.agency_id
WHERE $report_id IS NULL OR cc.report_id = $report_id
ORDER BY cc.correction_id
