-- The rows of a custom report: one per current report of the chosen place, levels, kinds,
-- datasets and years (or of the chosen agencies), with the fields of tables 2–4 asked for
-- (report_wide columns named in {field_columns}, from fields.csv keys) and the numerator and
-- denominator of each metric asked for (agency_year columns named in {metric_columns}, registry
-- keys). Totals are summed from these rows by the page (analytics.dashboard.builder).
WITH w AS (
    SELECT report_id, agency_id, dataset, year, template, province, city, county, level, kind,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name
           {field_columns}
    FROM report_wide
    WHERE is_current AND {where}
      AND (len($agencies) = 0 OR list_contains($agencies, agency_id))
), y AS (
    SELECT agency_id, dataset, year {metric_columns}
    FROM agency_year
    WHERE year BETWEEN $year_from AND $year_to
      AND (len($agencies) = 0 OR list_contains($agencies, agency_id))
)
SELECT * FROM w LEFT JOIN y USING (agency_id, dataset, year)
ORDER BY year, province NULLS FIRST, city NULLS FIRST, county NULLS FIRST, name, agency_id
LIMIT $limit
