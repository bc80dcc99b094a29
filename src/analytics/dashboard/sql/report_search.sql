-- Current reports of the chosen region whose agency name contains the search text.
SELECT report_id, agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       year, template, dataset
FROM report_wide
WHERE is_current AND {where} AND ($q = '' OR contains(name, $q))
ORDER BY name, year DESC
LIMIT $limit
