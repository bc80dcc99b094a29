-- Whether a row (of agency_total, agency_year, report_wide, …) lies in the chosen place, levels,
-- kinds and datasets: agency_window's filter and every dashboard query's (filters.REGION_SQL). A
-- macro is expanded where it is used, so bound filter values still fold into constant predicates
-- that zone maps skip on.
CREATE OR REPLACE MACRO chosen_agency(province, city, county, level, kind, dataset,
                                      p_province, p_city, p_county, p_levels, p_kinds, p_datasets) AS
    (p_province IS NULL OR province = p_province)
    AND (p_city IS NULL OR city = p_city)
    AND (p_county IS NULL OR county = p_county)
    AND (len(p_levels) = 0 OR list_contains(p_levels, level))
    AND (len(p_kinds) = 0 OR list_contains(p_kinds, kind))
    AND list_contains(p_datasets, dataset)
