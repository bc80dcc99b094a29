-- X_JUMP: a headline figure changes by more than 5× (or below 0.2×) from last year, with at
-- least 20 on the larger side.
WITH pairs AS (
    SELECT k.report_id, k.agency_id, k.year,
           [w.a_new_received, w.rv_total, w.ld_total, w.ad_licensing_decisions,
            w.ad_punishment_decisions, w.ad_coercion_decisions] AS now_values,
           [wp.a_new_received, wp.rv_total, wp.ld_total, wp.ad_licensing_decisions,
            wp.ad_punishment_decisions, wp.ad_coercion_decisions] AS prev_values
    FROM _check k
    JOIN _check kp ON kp.agency_id = k.agency_id AND kp.year = k.year - 1
    JOIN report_wide w ON w.report_id = k.report_id
    JOIN report_wide wp ON wp.report_id = kp.report_id
),
v AS (
    SELECT report_id, agency_id, year,
           unnest(['a_new_received', 'rv_total', 'ld_total', 'ad_licensing_decisions',
                   'ad_punishment_decisions', 'ad_coercion_decisions']) AS figure,
           unnest(['新收申请数', '行政复议总数', '直接起诉的行政诉讼总数', '行政许可决定数',
                   '行政处罚决定数', '行政强制决定数']) AS zh,
           unnest(now_values) AS now_v,
           unnest(prev_values) AS prev_v
    FROM pairs
)
SELECT 'X_JUMP' AS rule, 'warning' AS severity, report_id, agency_id, year, figure AS subject,
       format('{}由上年 {} 变为 {}（{}倍）', zh, fmt_num(prev_v), fmt_num(now_v),
              CASE WHEN prev_v = 0 THEN '∞' ELSE CAST(round(now_v / prev_v, 2) AS VARCHAR) END) AS message,
       prev_v AS expected, now_v AS actual
FROM v
WHERE now_v IS NOT NULL AND prev_v IS NOT NULL
  AND greatest(now_v, prev_v) >= 20 AND greatest(now_v, prev_v) > 5 * least(now_v, prev_v)
