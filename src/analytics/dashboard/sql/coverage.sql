-- Which agencies have which years (current reports), for the first agencies of the region.
WITH a AS (
    SELECT DISTINCT agency_id FROM report_wide WHERE is_current AND {region}
    ORDER BY agency_id LIMIT $limit
)
SELECT w.agency_id,
       w.name || CASE WHEN w.dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       w.year, w.template, w.n_findings_error, w.n_findings_warning
FROM report_wide w SEMI JOIN a USING (agency_id)
WHERE w.is_current AND w.year BETWEEN $year_from AND $year_to
ORDER BY name, year
