-- One row per agency of the chosen place, levels, kinds and datasets, summed over the chosen
-- years: agency_id, name, dataset, level, kind, province, city, county, template, n_reports and
-- the numerator and denominator of each metric in `metrics` (registry keys; only those are
-- summed: planning the sums of every metric cost more than running a small region's query).
-- An agency whose every current report lies in the chosen years (and in one dataset) is read from
-- agency_total as it is; only the others are summed from agency_year. Over every year that is
-- every agency and nothing is grouped; over part of the years only the agencies cut by the range
-- are. use_totals = false sums every agency from agency_year (the same rows, for comparisons).
-- The filters arrive as the dashboard's bound parameters, which DuckDB folds into constant
-- predicates on both scans (zone maps skip the other places, a false branch is dropped).
CREATE OR REPLACE MACRO agency_window(metrics, y_from, y_to, p_province, p_city, p_county, p_levels,
                                      p_kinds, p_datasets, use_totals) AS TABLE
SELECT agency_id, name, dataset, level, kind, province, city, county, template, n_reports,
       COLUMNS('^(' || array_to_string(metrics, '|') || ')_(num|den)$')
FROM agency_total
WHERE use_totals AND first_year >= y_from AND last_year <= y_to AND n_datasets = 1
  AND (p_province IS NULL OR province = p_province)
  AND (p_city IS NULL OR city = p_city)
  AND (p_county IS NULL OR county = p_county)
  AND (len(p_levels) = 0 OR list_contains(p_levels, level))
  AND (len(p_kinds) = 0 OR list_contains(p_kinds, kind))
  AND list_contains(p_datasets, dataset)
-- (both branches list the same columns in the same order: the metric columns follow the registry)
UNION ALL
SELECT agency_id, any_value(name) AS name, any_value(dataset) AS dataset, any_value(level) AS level,
       any_value(kind) AS kind, any_value(province) AS province, any_value(city) AS city,
       any_value(county) AS county, any_value(template) AS template, count(*) AS n_reports,
       sum(COLUMNS('^(' || array_to_string(metrics, '|') || ')_(num|den)$'))
FROM agency_year
WHERE year BETWEEN y_from AND y_to
  AND NOT (use_totals AND first_year >= y_from AND last_year <= y_to AND n_datasets = 1)
  AND (p_province IS NULL OR province = p_province)
  AND (p_city IS NULL OR city = p_city)
  AND (p_county IS NULL OR county = p_county)
  AND (len(p_levels) = 0 OR list_contains(p_levels, level))
  AND (len(p_kinds) = 0 OR list_contains(p_kinds, kind))
  AND list_contains(p_datasets, dataset)
GROUP BY agency_id
