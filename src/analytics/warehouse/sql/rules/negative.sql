-- NEGATIVE: no count is negative; the 2019 template's signed *_change cells are exempt.
SELECT 'NEGATIVE' AS rule, 'error' AS severity, k.report_id, k.agency_id, k.year,
       c.tbl || ':' || c.row_key || ':' || c.col_key AS subject,
       format('{}“{}”{} 为负数 {}', CASE c.tbl WHEN 'active_disclosure' THEN '表二' WHEN 'review_litigation' THEN '表四' ELSE '表三' END,
              coalesce(l.label, c.row_key), CASE WHEN c.col_key = 'value' THEN '' ELSE '（' || c.col_key || '）' END,
              fmt_num(c.value)) AS message,
       0.0 AS expected, c.value AS actual
FROM cells c
JOIN _check k ON k.report_id = c.report_id
LEFT JOIN field_labels l ON l.key = c.row_key AND l.tbl IN ('active', 'applications_row', 'review_group')
WHERE c.value < 0 AND NOT (c.tbl = 'active_disclosure' AND c.row_key LIKE '%\_change' ESCAPE '\')
