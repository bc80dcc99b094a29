-- One row per current report: its agency, place, year and template with every metric's
-- numerator and denominator (report_metrics computed once), in place order so that a region's
-- rows sit in a few row groups. first_year, last_year and n_datasets describe the agency's
-- current reports as a whole: agency_window reads an agency's all-years row of agency_total when
-- the chosen years hold every one of its reports. agency_key, the 128-bit MD5 of agency_id that
-- agency_total carries along, is what agency_window groups an agency's reports by: grouping on
-- the text of agency_id cost about a third of a one-metric window over a whole country.
CREATE OR REPLACE TABLE agency_year AS
WITH span AS (
    SELECT agency_id, min(year) AS first_year, max(year) AS last_year,
           count(DISTINCT dataset) AS n_datasets
    FROM report_metrics
    GROUP BY agency_id
)
SELECT m.agency_id, md5_number(m.agency_id) AS agency_key, m.dataset, m.year, m.name, m.level,
       m.kind, m.province, m.city, m.county,
       m.parent_id, m.template, s.first_year, s.last_year, s.n_datasets,
       COLUMNS('_(num|den)$')
FROM report_metrics m
JOIN span s USING (agency_id)
ORDER BY m.province, m.city NULLS FIRST, m.county NULLS FIRST, m.agency_id, m.year
