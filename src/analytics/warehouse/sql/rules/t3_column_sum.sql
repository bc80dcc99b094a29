-- T3_COLUMN_SUM: per row, total = the six applicant columns. A blank total is T3_BLANK_TOTAL's
-- business, not an arithmetic contradiction, so those rows are skipped here.
WITH v AS (
    SELECT c.report_id, c.row_key,
           max(c.value) FILTER (WHERE c.col_key = 'total') AS total,
           coalesce(sum(c.value) FILTER (WHERE c.col_key <> 'total'), 0) AS parts
    FROM cells c JOIN _check k ON k.report_id = c.report_id
    WHERE c.tbl = 'applications'
    GROUP BY c.report_id, c.row_key
)
SELECT 'T3_COLUMN_SUM' AS rule, 'error' AS severity, k.report_id, k.agency_id, k.year, v.row_key AS subject,
       format('表三“{}”行：六类申请人之和为 {}，总计为 {}', l.label, fmt_num(v.parts), fmt_num(v.total)) AS message,
       v.parts AS expected, v.total AS actual
FROM v
JOIN _check k ON k.report_id = v.report_id
JOIN field_labels l ON l.tbl = 'applications_row' AND l.key = v.row_key
WHERE v.total IS NOT NULL AND abs(v.total - v.parts) > 1e-6
