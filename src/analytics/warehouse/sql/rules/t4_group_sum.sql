-- T4_GROUP_SUM: per group of table 4, total = upheld + corrected + other + pending.
WITH v AS (
    SELECT c.report_id, c.row_key,
           coalesce(max(c.value) FILTER (WHERE c.col_key = 'total'), 0) AS total,
           coalesce(sum(c.value) FILTER (WHERE c.col_key <> 'total'), 0) AS parts,
           count(c.value) AS n_in
    FROM cells c JOIN _check k ON k.report_id = c.report_id
    WHERE c.tbl = 'review_litigation'
    GROUP BY c.report_id, c.row_key
),
per_report AS (SELECT report_id, sum(n_in) AS n_in FROM v GROUP BY report_id)
SELECT 'T4_GROUP_SUM' AS rule, 'error' AS severity, k.report_id, k.agency_id, k.year, v.row_key AS subject,
       format('表四“{}”：维持、纠正、其他、未审结之和为 {}，总计为 {}', l.label, fmt_num(v.parts), fmt_num(v.total))
           AS message,
       v.parts AS expected, v.total AS actual
FROM v
JOIN _check k ON k.report_id = v.report_id
JOIN field_labels l ON l.tbl = 'review_group' AND l.key = v.row_key
WHERE v.n_in > 0 AND abs(v.total - v.parts) > 1e-6
UNION ALL
SELECT 'T4_GROUP_SUM', 'not_assessable', k.report_id, k.agency_id, k.year, '*',
       '表四全部为空，无法核对', NULL, NULL
FROM _check k LEFT JOIN per_report p ON p.report_id = k.report_id
WHERE coalesce(p.n_in, 0) = 0
