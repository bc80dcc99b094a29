-- Every agency of the chosen region with the chosen metrics over the chosen years (largest first).
-- slot metric_values: each chosen metric's value from its sums (queries.metric_values: registry keys).
-- The table shows the $limit agencies with the most applications: they are picked from
-- agency_window's one column that orders them, and the other metrics are had for them alone,
-- as agency_window has them: the agency_total row of an agency whose every report is chosen, the
-- sum of the chosen reports otherwise (the join hands the shown agencies' keys to the agency_year
-- scan, which skips every other agency's rows; the place filters let zone maps skip the rest of
-- the file). Over part of the years, summing every metric of every agency before keeping 2,000
-- cost twice as much; over every year the second read costs about 10 ms more (measured at a
-- million reports), which a branch for that case cost again in planning.
WITH shown AS MATERIALIZED (
    SELECT agency_id, name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           level, kind, dataset, n_reports
    FROM agency_window(['applications'], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                       $datasets, $totals)
    ORDER BY applications_num DESC NULLS LAST, name
    LIMIT $limit
), summed AS (
    SELECT t.agency_id, COLUMNS('^(' || array_to_string($metrics, '|') || ')_(num|den)$')
    FROM agency_total t
    JOIN shown s ON s.agency_id = t.agency_id
    WHERE $totals AND t.first_year >= $year_from AND t.last_year <= $year_to AND t.n_datasets = 1
      AND list_contains($datasets, t.dataset)
      AND ($province IS NULL OR t.province = $province) AND ($city IS NULL OR t.city = $city)
      AND ($county IS NULL OR t.county = $county)
    UNION ALL
    SELECT y.agency_id, sum(COLUMNS('^(' || array_to_string($metrics, '|') || ')_(num|den)$'))
    FROM agency_year y
    JOIN shown s ON s.agency_id = y.agency_id
    WHERE y.year BETWEEN $year_from AND $year_to AND list_contains($datasets, y.dataset)
      AND NOT ($totals AND y.first_year >= $year_from AND y.last_year <= $year_to AND y.n_datasets = 1)
      AND ($province IS NULL OR y.province = $province) AND ($city IS NULL OR y.city = $city)
      AND ($county IS NULL OR y.county = $county)
    GROUP BY y.agency_id
)
SELECT agency_id, name, level, kind, dataset, n_reports,
       {metric_values}
FROM shown JOIN summed USING (agency_id)
ORDER BY applications DESC NULLS LAST, name
