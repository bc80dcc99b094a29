-- Where a region's name is found: as a province, a city or a county of the agencies (an evaluation
-- is asked for by name, e.g. 淮安市), with how many agencies each reading holds.
SELECT province, CASE WHEN $name = province THEN NULL ELSE city END AS city,
       CASE WHEN $name = county THEN county END AS county,
       CASE WHEN $name = province THEN 'province' WHEN $name = city THEN 'city' ELSE 'county' END AS tier,
       count(DISTINCT agency_id) AS n_agencies
FROM agencies
WHERE $name IN (province, city, county)
GROUP BY ALL
ORDER BY n_agencies DESC, province, city NULLS FIRST
