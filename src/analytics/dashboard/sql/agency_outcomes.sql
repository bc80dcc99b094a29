-- Chosen agencies side by side: every outcome and the review/litigation results, summed over years.
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       count(*) AS n_reports,
       {outcome_sums}
FROM report_wide
WHERE is_current AND {where} AND list_contains($agencies, agency_id)
GROUP BY agency_id
ORDER BY name
