-- TEMPLATE_YEAR: the 2019 template after 2020, or the 2021 template before 2021 (the slot holds
-- fields.TEMPLATE_2021_FIRST_YEAR).
SELECT 'TEMPLATE_YEAR' AS rule, 'warning' AS severity, k.report_id, k.agency_id, k.year, 'template' AS subject,
       format('{} 年度报告使用了 {} 版模板', k.year, k.template) AS message,
       NULL AS expected, NULL AS actual
FROM _check k
WHERE (k.template = '2019' AND k.year >= {new_template_year})
   OR (k.template = '2021' AND k.year < {new_template_year})
