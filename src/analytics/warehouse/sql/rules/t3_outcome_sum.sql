-- T3_OUTCOME_SUM: per column, total_processed = granted + partially_granted + Σdenied_* +
-- Σunable_* + Σrefused_* + other handling (the three other_* rows, or other_total).
WITH v AS (
    SELECT report_id, col_key,
           coalesce(sum(value) FILTER (WHERE row_key = 'total_processed'), 0) AS processed,
           coalesce(sum(value) FILTER (WHERE row_key IN ('granted', 'partially_granted')
                                          OR row_key LIKE 'denied\_%' ESCAPE '\'
                                          OR row_key LIKE 'unable\_%' ESCAPE '\'
                                          OR row_key LIKE 'refused\_%' ESCAPE '\'), 0)
           + coalesce(sum(value) FILTER (WHERE row_key IN ('other_no_correction', 'other_no_fee', 'other_misc')),
                      sum(value) FILTER (WHERE row_key = 'other_total'), 0) AS outcomes,
           count(value) FILTER (WHERE row_key NOT IN ('new_received', 'carried_over', 'carried_forward')) AS n_in
    FROM _app_cells
    GROUP BY report_id, col_key
),
per_report AS (SELECT report_id, sum(n_in) AS n_in FROM v GROUP BY report_id)
SELECT 'T3_OUTCOME_SUM' AS rule, 'error' AS severity, k.report_id, k.agency_id, k.year, v.col_key AS subject,
       format('表三“{}”列：办理结果各项之和为 {}，总计（三（七））为 {}',
              l.label, fmt_num(v.outcomes), fmt_num(v.processed)) AS message,
       v.outcomes AS expected, v.processed AS actual
FROM v
JOIN _check k ON k.report_id = v.report_id
JOIN field_labels l ON l.tbl = 'applications_col' AND l.key = v.col_key
WHERE v.n_in > 0 AND abs(v.processed - v.outcomes) > 1e-6
UNION ALL
SELECT 'T3_OUTCOME_SUM', 'not_assessable', k.report_id, k.agency_id, k.year, '*',
       '表三办理结果各行全部为空，无法核对', NULL, NULL
FROM _check k LEFT JOIN per_report p ON p.report_id = k.report_id
WHERE coalesce(p.n_in, 0) = 0
