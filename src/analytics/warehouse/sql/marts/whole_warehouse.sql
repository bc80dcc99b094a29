-- True when a view's filters choose every current report of the warehouse: every year, no place,
-- level or kind, every dataset present, and one row per agency in agency_total. The default
-- view's statistics (peer_stats, peer_ecdf, metric_ecdf) then stand for the chosen agencies.
CREATE OR REPLACE MACRO whole_warehouse(y_from, y_to, p_province, p_city, p_county, p_levels, p_kinds,
                                        p_datasets) AS (
    SELECT coalesce(any_value(
               p_province IS NULL AND p_city IS NULL AND p_county IS NULL
               AND len(p_levels) = 0 AND len(p_kinds) = 0 AND agencies_unique
               AND y_from <= first_year AND y_to >= last_year AND list_has_all(p_datasets, datasets)), false)
    FROM warehouse_span
)
