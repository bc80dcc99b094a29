-- Agencies with the most new applications over the chosen years (agency_window: one row per
-- agency of the chosen place, levels, kinds and datasets, summed over the chosen years).
SELECT agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level,
       kind,
       n_reports,
       applications_num AS applications
FROM agency_window(['applications'], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                    $datasets, $totals)
WHERE applications_num IS NOT NULL
ORDER BY applications DESC, name
LIMIT $limit
