-- NOT_INTEGER: counts are whole numbers; fee, procurement and information processing fee amounts
-- are money and exempt.
SELECT 'NOT_INTEGER' AS rule, 'warning' AS severity, k.report_id, k.agency_id, k.year,
       c.tbl || ':' || c.row_key || ':' || c.col_key AS subject,
       format('“{}”{} 应为整数，报告为 {}', coalesce(l.label, c.row_key),
              CASE WHEN c.col_key = 'value' THEN '' ELSE '（' || c.col_key || '）' END, fmt_num(c.value)) AS message,
       round(c.value) AS expected, c.value AS actual
FROM cells c
JOIN _check k ON k.report_id = c.report_id
LEFT JOIN field_labels l ON l.key = c.row_key AND l.tbl IN ('active', 'applications_row', 'review_group', 'fees')
WHERE c.value IS NOT NULL AND c.value <> round(c.value)
  AND c.row_key NOT IN ('fees_amount', 'procurement_amount', 'fee_notice_amount', 'fee_collected')
