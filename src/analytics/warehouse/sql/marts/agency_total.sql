-- One row per agency and dataset: its description, how many current reports it has and in
-- which years, and every metric's numerator and denominator summed over all of them. The
-- default view's statistics are computed from it, and agency_window reads its rows as they are
-- for the agencies whose every report falls in the chosen years.
CREATE OR REPLACE TABLE agency_total AS
SELECT agency_id, dataset, any_value(agency_key) AS agency_key, any_value(name) AS name,
       any_value(level) AS level, any_value(kind) AS kind, any_value(province) AS province,
       any_value(city) AS city, any_value(county) AS county, any_value(parent_id) AS parent_id,
       any_value(template) AS template, count(*) AS n_reports,
       any_value(first_year) AS first_year, any_value(last_year) AS last_year,
       any_value(n_datasets) AS n_datasets,
       sum(COLUMNS('_(num|den)$'))
FROM agency_year
GROUP BY agency_id, dataset
ORDER BY province, city NULLS FIRST, county NULLS FIRST, agency_id
