-- T3_FLOW: per column, new_received + carried_over = total_processed + carried_forward.
WITH v AS (
    SELECT report_id, col_key,
           coalesce(sum(value) FILTER (WHERE row_key IN ('new_received', 'carried_over')), 0) AS lhs,
           coalesce(sum(value) FILTER (WHERE row_key IN ('total_processed', 'carried_forward')), 0) AS rhs,
           count(value) AS n_in
    FROM _app_cells
    WHERE row_key IN ('new_received', 'carried_over', 'total_processed', 'carried_forward')
    GROUP BY report_id, col_key
),
per_report AS (SELECT report_id, sum(n_in) AS n_in FROM v GROUP BY report_id)
SELECT 'T3_FLOW' AS rule, 'error' AS severity, k.report_id, k.agency_id, k.year, v.col_key AS subject,
       format('表三“{}”列：新收加上年结转为 {}，办结加结转下年为 {}，两者应相等',
              l.label, fmt_num(v.lhs), fmt_num(v.rhs)) AS message,
       v.lhs AS expected, v.rhs AS actual
FROM v
JOIN _check k ON k.report_id = v.report_id
JOIN field_labels l ON l.tbl = 'applications_col' AND l.key = v.col_key
WHERE v.n_in > 0 AND abs(v.lhs - v.rhs) > 1e-6
UNION ALL
SELECT 'T3_FLOW', 'not_assessable', k.report_id, k.agency_id, k.year, '*',
       '表三的新收、上年结转、办结、结转下年各行全部为空，无法核对', NULL, NULL
FROM _check k LEFT JOIN per_report p ON p.report_id = k.report_id
WHERE coalesce(p.n_in, 0) = 0
