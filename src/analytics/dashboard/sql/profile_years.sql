-- One agency's current reports, one row a year, with the main figures of its tables 3 and 4 and
-- its open findings (dismissed ones left out): the profile's per-year table (report_wide holds
-- the figures as published).
WITH dismissed AS (
    SELECT f.report_id, count(*) FILTER (WHERE f.severity = 'error') AS n_error,
           count(*) FILTER (WHERE f.severity = 'warning') AS n_warning
    FROM finding_decisions d JOIN findings f ON f.fingerprint = d.fingerprint
    WHERE d.status = 'dismissed' AND f.agency_id = $agency_id
    GROUP BY f.report_id
)
SELECT w.report_id, year, template, published, dataset,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level, kind, province, city, county,
       a_new_received, a_carried_over, a_total_processed, a_granted, a_partially_granted,
       denied, unable, refused, other_handled, a_carried_forward,
       rv_total, rv_corrected, ld_total, la_total,
       CAST(n_findings_error - coalesce(x.n_error, 0) AS BIGINT) AS n_findings_error,
       CAST(n_findings_warning - coalesce(x.n_warning, 0) AS BIGINT) AS n_findings_warning
FROM report_wide w
LEFT JOIN dismissed x ON x.report_id = w.report_id
WHERE is_current AND w.agency_id = $agency_id AND list_contains($datasets, dataset)
ORDER BY year, dataset
