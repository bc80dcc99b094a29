-- One row per agency of the chosen place, levels, kinds and datasets, summed over the chosen
-- years: agency_id, name, dataset, level, kind, province, city, county, template, n_reports and
-- every metric's numerator and denominator.
-- An agency whose every current report lies in the chosen years (and in one dataset) is read from
-- agency_total as it is; only the others are summed from agency_year. Over every year that is
-- every agency and nothing is grouped; over part of the years only the agencies cut by the range
-- are. The filters arrive as the dashboard's bound parameters, which DuckDB folds into constant
-- predicates on both scans (zone maps skip the other places).
CREATE OR REPLACE MACRO agency_window(y_from, y_to, p_province, p_city, p_county, p_levels, p_kinds,
                                      p_datasets) AS TABLE
SELECT agency_id, name, dataset, level, kind, province, city, county, template, n_reports,
       COLUMNS('_(num|den)$')
FROM agency_total
WHERE first_year >= y_from AND last_year <= y_to AND n_datasets = 1
  AND (p_province IS NULL OR province = p_province)
  AND (p_city IS NULL OR city = p_city)
  AND (p_county IS NULL OR county = p_county)
  AND (len(p_levels) = 0 OR list_contains(p_levels, level))
  AND (len(p_kinds) = 0 OR list_contains(p_kinds, kind))
  AND list_contains(p_datasets, dataset)
UNION ALL BY NAME
SELECT agency_id, any_value(name) AS name, any_value(dataset) AS dataset, any_value(level) AS level,
       any_value(kind) AS kind, any_value(province) AS province, any_value(city) AS city,
       any_value(county) AS county, any_value(template) AS template, count(*) AS n_reports,
       sum(COLUMNS('_(num|den)$'))
FROM agency_year
WHERE year BETWEEN y_from AND y_to
  AND NOT (first_year >= y_from AND last_year <= y_to AND n_datasets = 1)
  AND (p_province IS NULL OR province = p_province)
  AND (p_city IS NULL OR city = p_city)
  AND (p_county IS NULL OR county = p_county)
  AND (len(p_levels) = 0 OR list_contains(p_levels, level))
  AND (len(p_kinds) = 0 OR list_contains(p_kinds, kind))
  AND list_contains(p_datasets, dataset)
GROUP BY agency_id
