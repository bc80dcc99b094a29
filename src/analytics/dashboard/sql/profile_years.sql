-- One agency's current reports, one row a year, with the main figures of its tables 3 and 4 and
-- its open findings: the profile's per-year table (report_wide holds the figures as published).
SELECT report_id, year, template, published, dataset,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level, kind, province, city, county,
       a_new_received, a_carried_over, a_total_processed, a_granted, a_partially_granted,
       denied, unable, refused, other_handled, a_carried_forward,
       rv_total, rv_corrected, ld_total, la_total,
       CAST(n_findings_error AS BIGINT) AS n_findings_error,
       CAST(n_findings_warning AS BIGINT) AS n_findings_warning
FROM report_wide
WHERE is_current AND agency_id = $agency_id AND list_contains($datasets, dataset)
ORDER BY year, dataset
