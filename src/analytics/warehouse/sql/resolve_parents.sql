-- Link agencies placed from their names to the government of their parent place, once that
-- government is loaded (several names for one government: the first by id wins). Returns the
-- agencies whose link changed: their rows of report_wide and the summary tables follow.
UPDATE agencies AS a
SET parent_id = g.agency_id
FROM (
    SELECT division_code, min(agency_id) AS agency_id
    FROM agencies
    WHERE kind = 'government' AND division_code IS NOT NULL
    GROUP BY division_code
) AS g
WHERE a.parent_code = g.division_code
  AND g.agency_id <> a.agency_id
  AND a.parent_id IS DISTINCT FROM g.agency_id
RETURNING a.agency_id
