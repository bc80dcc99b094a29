-- One row per agency of the chosen place, levels, kinds and datasets, summed over the chosen
-- years: agency_id, name, dataset, level, kind, province, city, county, template, n_reports and
-- the numerator and denominator of each metric in `metrics` (registry keys; only those are
-- summed: planning the sums of every metric cost more than running a small region's query); an
-- entry that names a column (grant_rate_den) sums that column alone.
-- An agency whose every current report lies in the chosen years (and in one dataset) is read from
-- agency_total as it is; one that the years cut at the start only (the usual "last n years") is
-- one row of agency_since, its sums from its first chosen year on; only the others (cut at the
-- end) are summed from agency_year. Over every year, or over the last years, nothing is grouped.
-- use_totals = false sums every agency from agency_year (the same rows, for comparisons).
-- The filters arrive as the dashboard's bound parameters, which DuckDB folds into constant
-- predicates on both scans (zone maps skip the other places, a false branch is dropped).
CREATE OR REPLACE MACRO agency_window(metrics, y_from, y_to, p_province, p_city, p_county, p_levels,
                                      p_kinds, p_datasets, use_totals) AS TABLE
SELECT agency_id, name, dataset, level, kind, province, city, county, template, n_reports,
       COLUMNS('^(' || array_to_string(metrics, '|') || ')(_num|_den)?$')
FROM agency_total
WHERE use_totals AND first_year >= y_from AND last_year <= y_to AND n_datasets = 1
  AND chosen_agency(province, city, county, level, kind, dataset, p_province, p_city, p_county,
                    p_levels, p_kinds, p_datasets)
-- (every branch lists the same columns in the same order: the metric columns follow the registry)
UNION ALL
-- An agency of one dataset with reports before the chosen years and none after them
SELECT agency_id, name, dataset, level, kind, province, city, county, template, n_reports,
       COLUMNS('^(' || array_to_string(metrics, '|') || ')(_num|_den)?$')
FROM agency_since
WHERE use_totals AND year >= y_from AND prev_year < y_from AND first_year < y_from AND last_year <= y_to
  AND chosen_agency(province, city, county, level, kind, dataset, p_province, p_city, p_county,
                    p_levels, p_kinds, p_datasets)
UNION ALL
-- An agency of one dataset with reports after the chosen years: its reports are grouped by
-- agency_key on figures alone and what describes it is its agency_total row, joined on that
-- number; taking the text columns with any_value() while grouping cost as much as the grouping.
SELECT t.agency_id, t.name, t.dataset, t.level, t.kind, t.province, t.city, t.county, s.template,
       s.n_reports, s.* EXCLUDE (agency_key, template, n_reports)
FROM (SELECT agency_key, any_value(template) AS template, count(*) AS n_reports,
             sum(COLUMNS('^(' || array_to_string(metrics, '|') || ')(_num|_den)?$'))
      FROM agency_year
      WHERE use_totals AND n_datasets = 1 AND year BETWEEN y_from AND y_to
        AND last_year > y_to
        AND chosen_agency(province, city, county, level, kind, dataset, p_province, p_city, p_county,
                          p_levels, p_kinds, p_datasets)
      GROUP BY agency_key) s
JOIN (SELECT agency_key, agency_id, name, dataset, level, kind, province, city, county
      FROM agency_total
      WHERE use_totals AND n_datasets = 1 AND last_year > y_to
        AND (p_province IS NULL OR province = p_province)
        AND (p_city IS NULL OR city = p_city)
        AND (p_county IS NULL OR county = p_county)) t USING (agency_key)
UNION ALL
-- use_totals false, or an agency with reports in several datasets (summed over the chosen ones)
SELECT agency_id, any_value(name) AS name, any_value(dataset) AS dataset, any_value(level) AS level,
       any_value(kind) AS kind, any_value(province) AS province, any_value(city) AS city,
       any_value(county) AS county, any_value(template) AS template, count(*) AS n_reports,
       sum(COLUMNS('^(' || array_to_string(metrics, '|') || ')(_num|_den)?$'))
FROM agency_year
WHERE year BETWEEN y_from AND y_to
  AND NOT (use_totals AND n_datasets = 1)
  AND chosen_agency(province, city, county, level, kind, dataset, p_province, p_city, p_county,
                    p_levels, p_kinds, p_datasets)
GROUP BY agency_id
