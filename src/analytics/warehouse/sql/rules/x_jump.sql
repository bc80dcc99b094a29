-- X_JUMP: a headline figure changes by more than 5× (or below 0.2×) from last year, with at
-- least 20 on the larger side.
WITH pairs AS (
    SELECT k.report_id, k.agency_id, k.year, w.report_id AS wid, wp.report_id AS pid
    FROM _check k
    JOIN _check kp ON kp.agency_id = k.agency_id AND kp.year = k.year - 1
    JOIN report_wide w ON w.report_id = k.report_id
    JOIN report_wide wp ON wp.report_id = kp.report_id
),
figures AS (
    UNPIVOT (SELECT report_id, a_new_received, rv_total, ld_total, ad_licensing_decisions,
                    ad_punishment_decisions, ad_coercion_decisions
             FROM report_wide WHERE report_id IN (SELECT report_id FROM _check))
    ON a_new_received, rv_total, ld_total, ad_licensing_decisions, ad_punishment_decisions, ad_coercion_decisions
    INTO NAME figure VALUE amount
),
v AS (
    SELECT p.report_id, p.agency_id, p.year, f.figure, f.amount AS now_v, fp.amount AS prev_v
    FROM pairs p
    JOIN figures f ON f.report_id = p.wid
    JOIN figures fp ON fp.report_id = p.pid AND fp.figure = f.figure
)
SELECT 'X_JUMP' AS rule, 'warning' AS severity, report_id, agency_id, year, figure AS subject,
       format('{}由上年 {} 变为 {}（{}倍）',
              CASE figure WHEN 'a_new_received' THEN '新收申请数' WHEN 'rv_total' THEN '行政复议总数'
                          WHEN 'ld_total' THEN '直接起诉的行政诉讼总数' WHEN 'ad_licensing_decisions' THEN '行政许可决定数'
                          WHEN 'ad_punishment_decisions' THEN '行政处罚决定数' ELSE '行政强制决定数' END,
              fmt_num(prev_v), fmt_num(now_v),
              CASE WHEN prev_v = 0 THEN '∞' ELSE CAST(round(now_v / prev_v, 2) AS VARCHAR) END) AS message,
       prev_v AS expected, now_v AS actual
FROM v
WHERE greatest(now_v, prev_v) >= 20 AND greatest(now_v, prev_v) > 5 * least(now_v, prev_v)
