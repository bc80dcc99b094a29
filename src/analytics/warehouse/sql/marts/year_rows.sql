-- Rows to sum per year: region_year's place × year rows, or, when a trend is drawn per agency or
-- for chosen agencies, agency_year's one row per report (n_reports = 1). The flag is a bound
-- parameter at the call, so DuckDB drops the other branch before running anything.
CREATE OR REPLACE MACRO year_rows(by_agency) AS TABLE
SELECT *, CAST(NULL AS VARCHAR) AS agency_id, CAST(NULL AS VARCHAR) AS name
FROM region_year
WHERE NOT by_agency
UNION ALL BY NAME
SELECT *, CAST(1 AS BIGINT) AS n_reports
FROM agency_year
WHERE by_agency
