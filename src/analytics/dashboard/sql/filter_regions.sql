-- Every place named by an agency, for the cascading province → city → county selectors.
SELECT DISTINCT province, city, county
FROM agencies
WHERE province IS NOT NULL
ORDER BY province, city NULLS FIRST, county NULLS FIRST
