-- One row: the first and last year of the current reports, the datasets they belong to and
-- whether every agency has reports in one dataset only. whole_warehouse compares a view's
-- filters with it.
CREATE OR REPLACE TABLE warehouse_span AS
SELECT min(first_year) AS first_year, max(last_year) AS last_year,
       coalesce(list(DISTINCT dataset ORDER BY dataset), []) AS datasets,
       count(*) = count(DISTINCT agency_id) AS agencies_unique
FROM agency_total
