-- One rate metric ($metric) per agency over the chosen years: its numerator and denominator, for
-- the funnel plot and its control limits (dashboard/comparison.py). Agencies with no case are left
-- out; the peer groups (level, kind) and their pooled rates are formed from these rows.
SELECT agency_id,
       name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       level, kind, n_reports,
       COLUMNS('^' || $metric || '_num$') AS num, COLUMNS('^' || $metric || '_den$') AS den
FROM agency_window([$metric], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                   $datasets, $totals)
WHERE COLUMNS('^' || $metric || '_den$') > 0
ORDER BY den DESC, agency_id
LIMIT $limit
