CREATE OR REPLACE TEMP TABLE _region_keys AS
SELECT dataset, province, city, county, level, kind, year, template FROM agency_year LIMIT 0
