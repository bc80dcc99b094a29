-- One row per current report of an agency of one dataset whose reports span more than one year:
-- the sums of the agency's reports from that year on (n_reports and every <metric>_num / _den),
-- the year of its report before (prev_year) and what describes the agency. agency_window reads
-- one row of it for an agency that the chosen years cut at the start only (its first report
-- before them, its last within them): the row of its first chosen year holds the sums over the
-- chosen years, so its reports need no grouping. In place order, like agency_year.
CREATE OR REPLACE TABLE agency_since AS
SELECT agency_id, agency_key, dataset, year, name, level, kind, province, city, county, template,
       lag(year) OVER (PARTITION BY agency_key ORDER BY year) AS prev_year, first_year, last_year,
       count(*) OVER later AS n_reports,
       sum(COLUMNS('_(num|den)$')) OVER later
FROM agency_year
WHERE n_datasets = 1 AND first_year < last_year
WINDOW later AS (PARTITION BY agency_key ORDER BY year DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id, year
