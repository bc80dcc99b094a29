-- The region_year keys the scope's current reports fall in (run before and after agency_year
-- changes, so a key an agency left is recomputed too).
INSERT INTO _region_keys
SELECT DISTINCT dataset, province, city, county, level, kind, year, template
FROM agency_year
WHERE agency_id IN (SELECT agency_id FROM _mart_scope)
