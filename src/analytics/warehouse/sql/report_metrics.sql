-- The metrics of the registry (src/analytics/spec/metrics.toml) for every current report:
-- <m>_num, <m>_den and <m>, each entry's SQL filled into the metric_columns slot; the CTE b names the
-- building blocks those expressions may use.
-- Blank cells count as 0 in a numerator; a denominator that is 0 or unknown gives <m> = NULL.
-- A group's rate is sum(<m>_num) / nullif(sum(<m>_den), 0), never an average of <m>.
CREATE OR REPLACE VIEW report_metrics AS
WITH b AS (
    SELECT w.*,
           CASE WHEN coalesce(a_new_received, a_carried_over) IS NULL THEN NULL
                ELSE coalesce(a_new_received, 0) + coalesce(a_carried_over, 0) END AS workload_v,
           coalesce(a_total_processed, 0) AS processed_v,
           coalesce(a_granted, 0) + coalesce(a_partially_granted, 0) AS disclosed_v,
           coalesce(rv_corrected, 0) + coalesce(ld_corrected, 0) + coalesce(la_corrected, 0) AS corrected_all,
           coalesce(rv_pending, 0) + coalesce(ld_pending, 0) + coalesce(la_pending, 0) AS pending_all,
           coalesce(rv_total, 0) + coalesce(ld_total, 0) + coalesce(la_total, 0) AS disputes_all,
           coalesce(ld_total, 0) - coalesce(ld_pending, 0) + coalesce(la_total, 0) - coalesce(la_pending, 0)
               AS litigation_decided,
           CASE WHEN kind IN ('department', 'office', 'zone') THEN make_date(year + 1, 1, 31)
                ELSE make_date(year + 1, 3, 31) END AS deadline
    FROM report_wide w
    WHERE w.is_current
),
m AS (
    SELECT report_id, agency_id, name, year, level, kind, province, city, county, parent_id,
           dataset, template, scope, published, deadline,
           {metric_columns}
    FROM b
)
SELECT m.*,
       {values}
FROM m
