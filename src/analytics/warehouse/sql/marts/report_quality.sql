-- The quality score of every current report (年报质量评分, src/analytics/spec/quality.toml): each
-- part's value from 0 to 1 with what it was computed from, and the total. The weights and constants
-- in the braced slots are filled from the registry (analytics.quality.mart_slots), so they live in one place.
--   completeness = 1 - blank required cells / required cells. Required: every figure cell of the
--     report's template in tables 2, 3 and 4 (fields.csv, held in field_labels); table 3's
--     （六）其他处理 group counts as the three rows or the single row, whichever the report prints
--     (by its template when it prints neither). Absent or blank counts as blank; "/" and other
--     not-applicable marks do not.
--   consistency = max(0, 1 - error_penalty * errors - warning_penalty * warnings), open findings.
--   timeliness = 1 when published by the deadline (report_metrics.deadline, the on_time rule),
--     else max(0, 1 - days late / grace_days); NULL without a publication date.
--   originality = 1 - copy_rate; copy_rate = share of equal MinHash positions of the prose
--     signatures of this report and the agency's report of the year before; NULL without both.
--   score = 100 * sum(w * part) / sum(w) over the parts with a value.
CREATE OR REPLACE TABLE report_quality AS
WITH cur AS (
    SELECT m.report_id, m.agency_id, m.name, m.dataset, m.year, m.level, m.kind, m.province, m.city,
           m.county, m.template, m.published, m.deadline,
           coalesce(w.n_findings_error, 0) AS n_errors, coalesce(w.n_findings_warning, 0) AS n_warnings
    FROM report_metrics m
    JOIN report_wide w ON w.report_id = m.report_id
),
printed AS (
    SELECT c.report_id, c.tbl, c.row_key, c.col_key, bool_or(c.kind <> 'blank') AS filled
    FROM cells c
    WHERE c.report_id IN (SELECT report_id FROM cur)
    GROUP BY c.report_id, c.tbl, c.row_key, c.col_key
),
other_rows AS (
    SELECT report_id,
           bool_or(row_key IN ('other_no_correction', 'other_no_fee', 'other_misc')) AS three,
           bool_or(row_key = 'other_total') AS single
    FROM printed
    WHERE tbl = 'applications'
    GROUP BY report_id
),
required AS (
    SELECT c.report_id, 'active_disclosure' AS tbl, f.key AS row_key, 'value' AS col_key
    FROM cur c
    JOIN field_labels f ON f.tbl = 'active' AND f.template IN (c.template, 'both')
    UNION ALL
    SELECT c.report_id, 'applications', r.key, k.key
    FROM cur c
    LEFT JOIN other_rows o ON o.report_id = c.report_id
    JOIN field_labels r ON r.tbl = 'applications_row'
    JOIN field_labels k ON k.tbl = 'applications_col'
    WHERE r.template = 'both'
       OR (r.key = 'other_total') = CASE WHEN o.three THEN false WHEN o.single THEN true
                                         ELSE coalesce(c.template, '2021') = '2019' END
    UNION ALL
    SELECT c.report_id, 'review_litigation', g.key, k.key
    FROM cur c
    JOIN field_labels g ON g.tbl = 'review_group'
    JOIN field_labels k ON k.tbl = 'review_col'
),
complete AS (
    SELECT q.report_id, count(*) AS n_required,
           count(*) FILTER (WHERE p.filled IS NULL) AS n_absent,
           count(*) FILTER (WHERE NOT p.filled) AS n_blank_printed
    FROM required q
    LEFT JOIN printed p ON p.report_id = q.report_id AND p.tbl = q.tbl AND p.row_key = q.row_key
                       AND p.col_key = q.col_key
    GROUP BY q.report_id
),
copied AS (
    SELECT c.report_id, p.report_id AS prev_report_id,
           list_sum(list_transform(range(1, len(s1.sig) + 1),
                    lambda i: CASE WHEN s1.sig[i] = s2.sig[i] THEN 1 ELSE 0 END)) / len(s1.sig) AS copy_rate
    FROM cur c
    JOIN cur p ON p.agency_id = c.agency_id AND p.year = c.year - 1
    JOIN report_textsig s1 ON s1.report_id = c.report_id
    JOIN report_textsig s2 ON s2.report_id = p.report_id
),
parts AS (
    SELECT c.*, k.n_required, k.n_absent + k.n_blank_printed AS n_blank, k.n_absent,
           CAST(c.published - c.deadline AS INTEGER) AS days_late,
           CASE WHEN c.published IS NULL THEN NULL ELSE c.published <= c.deadline END AS on_time,
           d.prev_report_id, d.copy_rate,
           1 - CAST(k.n_absent + k.n_blank_printed AS DOUBLE) / k.n_required AS completeness,
           greatest(0.0, 1 - {error_penalty} * c.n_errors - {warning_penalty} * c.n_warnings) AS consistency,
           CASE WHEN c.published IS NULL THEN NULL
                WHEN c.published <= c.deadline THEN 1.0
                ELSE greatest(0.0, 1 - CAST(c.published - c.deadline AS DOUBLE) / {grace_days}) END AS timeliness,
           1 - d.copy_rate AS originality
    FROM cur c
    JOIN complete k ON k.report_id = c.report_id
    LEFT JOIN copied d ON d.report_id = c.report_id
)
SELECT *,
       100 * ({w_completeness} * completeness + {w_consistency} * consistency
              + coalesce({w_timeliness} * timeliness, 0) + coalesce({w_originality} * originality, 0))
           / ({w_completeness} + {w_consistency}
              + CASE WHEN timeliness IS NULL THEN 0 ELSE {w_timeliness} END
              + CASE WHEN originality IS NULL THEN 0 ELSE {w_originality} END) AS score
FROM parts
ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id, year
