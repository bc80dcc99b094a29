-- Rows to sum per year, with the numerator and denominator of each metric in `metrics`
-- (registry keys): region_year's place × year rows, or, when a trend is drawn per agency or for
-- chosen agencies, agency_year's one row per report (n_reports = 1). The flag is a bound parameter
-- at the call, so DuckDB drops the other branch before running anything.
CREATE OR REPLACE MACRO year_rows(metrics, by_agency) AS TABLE
SELECT dataset, province, city, county, level, kind, year, template, n_reports,
       CAST(NULL AS VARCHAR) AS agency_id, CAST(NULL AS VARCHAR) AS name,
       COLUMNS('^(' || array_to_string(metrics, '|') || ')_(num|den)$')
FROM region_year
WHERE NOT by_agency
UNION ALL BY NAME
SELECT dataset, province, city, county, level, kind, year, template, CAST(1 AS BIGINT) AS n_reports,
       agency_id, name, COLUMNS('^(' || array_to_string(metrics, '|') || ')_(num|den)$')
FROM agency_year
WHERE by_agency
