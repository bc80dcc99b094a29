-- The published figures each finding of $fingerprints is about, as the warehouse holds them:
-- the cells its rule read (for cross-year rules, last year's report too), with their labels.
-- Rules about prose, templates or other agencies read no cell of their own and give no row.
WITH f AS (
    SELECT * FROM findings WHERE list_contains($fingerprints, fingerprint) AND report_id IS NOT NULL
),
jump(subject, tbl, row_key, col_key) AS (
    VALUES ('a_new_received', 'applications', 'new_received', 'total'),
           ('rv_total', 'review_litigation', 'review', 'total'),
           ('ld_total', 'review_litigation', 'litigation_direct', 'total')
),
picked AS (
    SELECT f.fingerprint, r.report_id, r.year, r.template, c.tbl, c.row_key, c.col_key, c.value, c.raw, c.kind,
           c.src, c.rowid AS pos
    FROM f
    JOIN reports r ON r.agency_id = f.agency_id AND r.is_current
                  AND (r.report_id = f.report_id
                       OR (f.rule IN ('X_CARRYOVER', 'X_STOCK', 'X_JUMP') AND r.year = f.year - 1))
    JOIN cells c ON c.report_id = r.report_id
    LEFT JOIN jump j ON j.subject = f.subject
    WHERE CASE
        WHEN f.rule = 'T3_FLOW' THEN c.tbl = 'applications' AND c.col_key = f.subject
             AND c.row_key IN ('new_received', 'carried_over', 'total_processed', 'carried_forward')
        WHEN f.rule = 'T3_OUTCOME_SUM' THEN c.tbl = 'applications' AND c.col_key = f.subject
             AND c.row_key NOT IN ('new_received', 'carried_over', 'carried_forward')
        WHEN f.rule IN ('T3_COLUMN_SUM', 'T3_BLANK_TOTAL') THEN c.tbl = 'applications' AND c.row_key = f.subject
        WHEN f.rule = 'T4_GROUP_SUM' THEN c.tbl = 'review_litigation' AND c.row_key = f.subject
        WHEN f.rule IN ('NEGATIVE', 'NOT_INTEGER') THEN c.tbl || ':' || c.row_key || ':' || c.col_key = f.subject
        WHEN f.rule = 'IMPLAUSIBLE_LEVEL' THEN c.tbl = 'active_disclosure' AND c.row_key LIKE 'regulations\_%' ESCAPE '\'
        WHEN f.rule = 'X_CARRYOVER' THEN c.tbl = 'applications' AND c.col_key = f.subject
             AND c.row_key = CASE WHEN r.report_id = f.report_id THEN 'carried_over' ELSE 'carried_forward' END
        WHEN f.rule = 'X_STOCK' THEN c.tbl = 'active_disclosure'
             AND (c.row_key = f.subject || '_in_force'
                  OR (r.report_id = f.report_id AND c.row_key IN (f.subject || '_issued', f.subject || '_repealed')))
        WHEN f.rule = 'X_JUMP' THEN (c.tbl, c.row_key, c.col_key) = (coalesce(j.tbl, 'active_disclosure'),
             coalesce(j.row_key, regexp_replace(f.subject, '^ad_', '')), coalesce(j.col_key, 'value'))
        ELSE false
    END
)
SELECT p.fingerprint, p.report_id, p.year, p.tbl,
       CASE p.tbl WHEN 'active_disclosure' THEN '表二' WHEN 'applications' THEN '表三' ELSE '表四' END AS table_zh,
       p.row_key, p.col_key,
       coalesce((SELECT l.label FROM field_labels l
                 WHERE l.key = p.row_key AND l.template IN ('both', p.template)
                   AND l.tbl = CASE p.tbl WHEN 'active_disclosure' THEN 'active'
                                          WHEN 'applications' THEN 'applications_row' ELSE 'review_group' END
                 LIMIT 1), p.row_key) AS row_label,
       CASE WHEN p.col_key = 'value' THEN ''
            ELSE coalesce((SELECT l.label FROM field_labels l
                           WHERE l.key = p.col_key AND l.template IN ('both', p.template)
                             AND l.tbl = CASE p.tbl WHEN 'applications' THEN 'applications_col' ELSE 'review_col' END
                           LIMIT 1), p.col_key) END AS col_label,
       p.value, p.raw, p.kind, p.src
FROM picked p
ORDER BY p.fingerprint, p.year DESC, p.pos
