-- H_SUM: a report covering a whole jurisdiction is at least the sum of its parts' reports of
-- the same year (checked when two or more parts are loaded; the parent's own report is never
-- one of its parts).
WITH parent AS (
    SELECT k.report_id, k.agency_id, k.year
    FROM _check k WHERE k.scope = 'jurisdiction'
),
figures AS (
    UNPIVOT (SELECT report_id, agency_id, year, parent_id, a_new_received, rv_total, ld_total, la_total
             FROM report_wide WHERE is_current)
    ON a_new_received, rv_total, ld_total, la_total
    INTO NAME figure VALUE amount
),
parts AS (
    SELECT f.parent_id, f.year, f.figure, sum(f.amount) AS amount, count(*) AS n_parts
    FROM figures f
    WHERE f.parent_id IN (SELECT agency_id FROM parent) AND f.agency_id <> f.parent_id
    GROUP BY f.parent_id, f.year, f.figure
)
SELECT 'H_SUM' AS rule, 'warning' AS severity, p.report_id, p.agency_id, p.year, s.figure AS subject,
       format('{}为 {}，小于其 {} 个下级单位报告之和 {}',
              CASE s.figure WHEN 'a_new_received' THEN '新收申请数' WHEN 'rv_total' THEN '行政复议总数'
                            WHEN 'ld_total' THEN '直接起诉的行政诉讼总数' ELSE '复议后起诉的行政诉讼总数' END,
              fmt_num(f.amount), s.n_parts, fmt_num(s.amount)) AS message,
       s.amount AS expected, f.amount AS actual
FROM parent p
JOIN parts s ON s.parent_id = p.agency_id AND s.year = p.year
JOIN figures f ON f.report_id = p.report_id AND f.figure = s.figure
WHERE s.n_parts >= 2 AND f.amount < s.amount
