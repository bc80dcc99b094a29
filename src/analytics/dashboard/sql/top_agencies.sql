-- Agencies with the most new applications over the chosen years.
-- {agency_rows}: one row per agency of the chosen region and years (queries._agency_rows).
SELECT agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level,
       kind,
       n_reports,
       applications_num AS applications
FROM ({agency_rows})
WHERE applications_num IS NOT NULL
ORDER BY applications DESC, name
LIMIT $limit
