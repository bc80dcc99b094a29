-- New agencies of the registered frame _new_agencies go in; a known one is updated unless its
-- description came from a manifest (or a caller) and the new one only from its name.
INSERT INTO agencies (agency_id, name, level, kind, province, city, county, parent_id, division_code, dataset,
                      parent_code, info_source)
SELECT agency_id, name, level, kind, province, city, county, parent_id, division_code, dataset,
       parent_code, info_source
FROM _new_agencies
ON CONFLICT (agency_id) DO UPDATE SET
    name = excluded.name, level = excluded.level, kind = excluded.kind,
    province = excluded.province, city = excluded.city, county = excluded.county,
    parent_id = excluded.parent_id, division_code = excluded.division_code,
    parent_code = excluded.parent_code, info_source = excluded.info_source
WHERE excluded.info_source <> 'name' OR agencies.info_source = 'name'
