-- H_SUM: a report covering a whole jurisdiction is at least the sum of its parts' reports of
-- the same year (checked when two or more parts are loaded; the parent's own report is never
-- one of its parts).
WITH parent AS (
    SELECT k.report_id, k.agency_id, k.year, w.a_new_received, w.rv_total, w.ld_total, w.la_total
    FROM _check k JOIN report_wide w ON w.report_id = k.report_id
    WHERE k.scope = 'jurisdiction'
),
parts AS (
    SELECT c.parent_id, c.year, count(*) AS n_parts,
           sum(c.a_new_received) AS a_new_received, sum(c.rv_total) AS rv_total,
           sum(c.ld_total) AS ld_total, sum(c.la_total) AS la_total
    FROM report_wide c
    WHERE c.is_current AND c.parent_id IN (SELECT agency_id FROM parent) AND c.agency_id <> c.parent_id
    GROUP BY c.parent_id, c.year
),
v AS (
    SELECT p.report_id, p.agency_id, p.year, s.n_parts,
           unnest(['a_new_received', 'rv_total', 'ld_total', 'la_total']) AS figure,
           unnest(['新收申请数', '行政复议总数', '直接起诉的行政诉讼总数', '复议后起诉的行政诉讼总数']) AS zh,
           unnest([p.a_new_received, p.rv_total, p.ld_total, p.la_total]) AS own,
           unnest([s.a_new_received, s.rv_total, s.ld_total, s.la_total]) AS parts_sum
    FROM parent p JOIN parts s ON s.parent_id = p.agency_id AND s.year = p.year
    WHERE s.n_parts >= 2
)
SELECT 'H_SUM' AS rule, 'warning' AS severity, report_id, agency_id, year, figure AS subject,
       format('{}为 {}，小于其 {} 个下级单位报告之和 {}', zh, fmt_num(coalesce(own, 0)), n_parts, fmt_num(parts_sum))
           AS message,
       parts_sum AS expected, coalesce(own, 0) AS actual
FROM v
WHERE parts_sum IS NOT NULL AND coalesce(own, 0) < parts_sum
