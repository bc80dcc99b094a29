-- T3_BLANK_TOTAL: a 总计 cell of table 3 is blank (or missing) while its row's parts are not.
WITH v AS (
    SELECT c.report_id, c.row_key,
           count(c.value) FILTER (WHERE c.col_key = 'total') AS n_total,
           count(c.value) FILTER (WHERE c.col_key <> 'total') AS n_parts,
           sum(c.value) FILTER (WHERE c.col_key <> 'total') AS parts
    FROM cells c JOIN _check k ON k.report_id = c.report_id
    WHERE c.tbl = 'applications'
    GROUP BY c.report_id, c.row_key
)
SELECT 'T3_BLANK_TOTAL' AS rule, 'warning' AS severity, k.report_id, k.agency_id, k.year, v.row_key AS subject,
       format('表三“{}”行的总计为空，而各类申请人合计为 {}（分析按合计计算）', l.label, fmt_num(v.parts)) AS message,
       v.parts AS expected, NULL AS actual
FROM v
JOIN _check k ON k.report_id = v.report_id
JOIN field_labels l ON l.tbl = 'applications_row' AND l.key = v.row_key
WHERE v.n_total = 0 AND v.n_parts > 0
