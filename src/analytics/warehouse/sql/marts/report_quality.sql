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
-- Two cheap passes over cells, no join (a position appears once per report, records.cell_rows):
-- the non-blank cells of each report, and, from the few cells in positions only one template or
-- one （六） form has, those that do not count for this report and which （六） form it prints. The
-- key lists are literals from fields.csv (quality.mart_slots): list tests on every cell cost ten
-- times the scan.
filled_all AS (
    SELECT report_id, count(*) FILTER (WHERE kind <> 'blank') AS nb_all
    FROM cells
    GROUP BY report_id
),
tallies AS (
    SELECT report_id,
           count(*) FILTER (WHERE kind <> 'blank' AND tbl = 'active_disclosure' AND list_contains({active_2019}, row_key)) AS nb_active_2019,
           count(*) FILTER (WHERE kind <> 'blank' AND tbl = 'active_disclosure' AND list_contains({active_2021}, row_key)) AS nb_active_2021,
           count(*) FILTER (WHERE kind <> 'blank' AND tbl = 'applications' AND list_contains({other_three}, row_key))
               AS nb_other_three,
           count(*) FILTER (WHERE kind <> 'blank' AND tbl = 'applications' AND list_contains({other_single}, row_key))
               AS nb_other_single,
           bool_or(tbl = 'applications' AND list_contains({other_three}, row_key)) AS three,
           bool_or(tbl = 'applications' AND list_contains({other_single}, row_key)) AS single
    FROM cells
    WHERE row_key IN {special_keys}
    GROUP BY report_id
),
form AS (
    SELECT c.report_id, c.template,
           CASE WHEN k.three THEN false WHEN k.single THEN true
                ELSE coalesce(c.template, '2021') = '2019' END AS single_other,
           coalesce(a.nb_all, 0)
             - coalesce(CASE c.template WHEN '2021' THEN k.nb_active_2019 WHEN '2019' THEN k.nb_active_2021
                                        ELSE k.nb_active_2019 + k.nb_active_2021 END, 0)
             - coalesce(CASE WHEN k.three THEN k.nb_other_single WHEN k.single THEN k.nb_other_three
                             WHEN coalesce(c.template, '2021') = '2019' THEN k.nb_other_three
                             ELSE k.nb_other_single END, 0) AS n_filled
    FROM cur c
    LEFT JOIN filled_all a ON a.report_id = c.report_id
    LEFT JOIN tallies k ON k.report_id = c.report_id
),
-- Every required position once, with the template it belongs to ('both' for all) and, for the
-- （六） rows, the form that requires it (NULL: any form).
positions AS (
    SELECT 'active_disclosure' AS tbl, key AS row_key, 'value' AS col_key, template AS tmpl,
           CAST(NULL AS BOOLEAN) AS single_form
    FROM field_labels WHERE tbl = 'active'
    UNION ALL
    SELECT 'applications', r.key, k.key, 'both',
           CASE WHEN r.template = '2019' THEN true WHEN r.template = '2021' THEN false END
    FROM field_labels r JOIN field_labels k ON r.tbl = 'applications_row' AND k.tbl = 'applications_col'
    UNION ALL
    SELECT 'review_litigation', g.key, k.key, 'both', NULL
    FROM field_labels g JOIN field_labels k ON g.tbl = 'review_group' AND k.tbl = 'review_col'
),
-- The count of required cells depends only on (template, form): counted once per pair, not per report.
shapes AS (
    SELECT t.template, t.single_other, count(*) AS n_required
    FROM (SELECT DISTINCT template, single_other FROM form) t
    JOIN positions p ON (p.tmpl = 'both' OR p.tmpl = t.template)
                    AND (p.single_form IS NULL OR p.single_form = t.single_other)
    GROUP BY ALL
),
complete AS (
    SELECT f.report_id, s.n_required, s.n_required - f.n_filled AS n_blank
    FROM form f
    JOIN shapes s ON s.template IS NOT DISTINCT FROM f.template AND s.single_other = f.single_other
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
    SELECT c.*, k.n_required, k.n_blank,
           CAST(c.published - c.deadline AS INTEGER) AS days_late,
           CASE WHEN c.published IS NULL THEN NULL ELSE c.published <= c.deadline END AS on_time,
           d.prev_report_id, d.copy_rate,
           1 - CAST(k.n_blank AS DOUBLE) / k.n_required AS completeness,
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
