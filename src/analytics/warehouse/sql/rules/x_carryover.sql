-- X_CARRYOVER: per column, this year's carried_over = last year's carried_forward.
WITH this AS (
    SELECT a.report_id, a.col_key, a.value
    FROM _app_cells a WHERE a.row_key = 'carried_over'
),
prev AS (
    SELECT a.report_id, a.col_key, a.value
    FROM _app_cells a WHERE a.row_key = 'carried_forward'
),
v AS (
    SELECT k.report_id, k.agency_id, k.year, t.col_key,
           coalesce(t.value, 0) AS carried_over, coalesce(p.value, 0) AS prev_forward,
           (t.value IS NOT NULL OR p.value IS NOT NULL) AS assessable
    FROM _check k
    JOIN _check kp ON kp.agency_id = k.agency_id AND kp.year = k.year - 1
    JOIN this t ON t.report_id = k.report_id
    LEFT JOIN prev p ON p.report_id = kp.report_id AND p.col_key = t.col_key
)
SELECT 'X_CARRYOVER' AS rule, 'warning' AS severity, v.report_id, v.agency_id, v.year, v.col_key AS subject,
       format('“{}”列：本年上年结转 {}，而 {} 年报告的结转下年度为 {}', l.label, fmt_num(v.carried_over),
              v.year - 1, fmt_num(v.prev_forward)) AS message,
       v.prev_forward AS expected, v.carried_over AS actual
FROM v
JOIN field_labels l ON l.tbl = 'applications_col' AND l.key = v.col_key
WHERE v.assessable AND abs(v.carried_over - v.prev_forward) > 1e-6
