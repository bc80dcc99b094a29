-- The agencies a profile can show: those of the chosen place, levels, kinds and datasets (every
-- year: a profile covers an agency's whole history), and always the one the URL names, so that a
-- link from any table opens its agency whatever the sidebar holds.
SELECT agency_id,
       min(name) || CASE WHEN bool_and(dataset = 'demo') THEN '（演示）' ELSE '' END AS name,
       min(province) AS province, min(city) AS city, min(county) AS county,
       min(level) AS level, min(kind) AS kind,
       CAST(sum(n_reports) AS BIGINT) AS n_reports, min(first_year) AS first_year, max(last_year) AS last_year
FROM agency_total
WHERE ({region}) OR agency_id = $agency_id
GROUP BY agency_id
ORDER BY (agency_id = $agency_id) DESC, name, agency_id
LIMIT $limit
