-- report_wide rows for the report versions listed in the temp table _batch(report_id):
-- one pivot of their cells joined to reports and agencies. The brace slots are column lists
-- generated from fields.csv keys (see wide.py); nothing else is ever substituted.
WITH app_rows AS (
    SELECT c.report_id, c.row_key,
           max(c.value) FILTER (WHERE c.col_key = 'total') AS tot,
           sum(c.value) FILTER (WHERE c.col_key <> 'total') AS parts
    FROM cells c JOIN _batch b ON b.report_id = c.report_id
    WHERE c.tbl = 'applications'
    GROUP BY c.report_id, c.row_key
),
app AS (
    SELECT report_id,
           {a_cols},
           count(*) FILTER (WHERE tot IS NULL AND parts IS NOT NULL) AS a_total_derived
    FROM app_rows
    GROUP BY report_id
),
app_cols AS (
    SELECT c.report_id,
           {col_cols}
    FROM cells c JOIN _batch b ON b.report_id = c.report_id
    WHERE c.tbl = 'applications' AND c.row_key IN ('new_received', 'carried_over', 'carried_forward')
    GROUP BY c.report_id
),
ag AS (
    SELECT c.report_id,
           {ag_cols}
    FROM cells c JOIN _batch b ON b.report_id = c.report_id
    WHERE c.tbl = 'applications' AND c.col_key <> 'total'
    GROUP BY c.report_id
),
rv AS (
    SELECT c.report_id,
           {rv_cols}
    FROM cells c JOIN _batch b ON b.report_id = c.report_id
    WHERE c.tbl = 'review_litigation'
    GROUP BY c.report_id
),
ad AS (
    SELECT c.report_id,
           {ad_cols}
    FROM cells c JOIN _batch b ON b.report_id = c.report_id
    WHERE c.tbl = 'active_disclosure'
    GROUP BY c.report_id
)
SELECT r.report_id, r.agency_id, r.year, r.template, r.scope, r.dataset, r.published, r.is_current,
       ag.name, ag.level, ag.kind, ag.province, ag.city, ag.county, ag.parent_id,
       {a_names},
       coalesce(app.a_total_derived, 0) AS a_total_derived,
       {col_names},
       {group_sums},
       {ag_names},
       {rv_names},
       {ad_names},
       CAST(0 AS INTEGER) AS n_findings_error,
       CAST(0 AS INTEGER) AS n_findings_warning
FROM reports r
JOIN _batch b ON b.report_id = r.report_id
JOIN agencies ag ON ag.agency_id = r.agency_id
LEFT JOIN app ON app.report_id = r.report_id
LEFT JOIN app_cols ON app_cols.report_id = r.report_id
LEFT JOIN ag ON ag.report_id = r.report_id
LEFT JOIN rv ON rv.report_id = r.report_id
LEFT JOIN ad ON ad.report_id = r.report_id
ORDER BY r.agency_id, r.year, r.report_id
