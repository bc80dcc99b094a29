-- Chosen agencies side by side: the report_wide columns named in $columns (every outcome and the
-- review/litigation results, from fields.csv) summed over the chosen years.
SELECT agency_id,
       any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
       count(*) AS n_reports,
       sum(COLUMNS($columns))
FROM report_wide
WHERE is_current AND {where} AND list_contains($agencies, agency_id)
GROUP BY agency_id
ORDER BY name
