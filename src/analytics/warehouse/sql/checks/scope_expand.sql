-- Widen _scope(agency_id) to every agency whose findings a change in scope can alter: parents
-- (H_SUM compares a parent with its parts) and agencies whose prose shares a band with a
-- scoped report (DUPLICATE_TEXT is recorded on both reports of a pair; the slot holds the same
-- band selection, checks/shared_bands).
INSERT INTO _scope
WITH mine AS (
    SELECT * FROM current_bands WHERE agency_id IN (SELECT agency_id FROM _scope)
),
{shared_bands}
SELECT DISTINCT x.agency_id FROM (
    SELECT a.parent_id AS agency_id
    FROM agencies a JOIN _scope s ON s.agency_id = a.agency_id
    WHERE a.parent_id IS NOT NULL
    UNION
    SELECT c.agency_id
    FROM current_bands c JOIN buckets k ON k.bi = c.bi AND k.band = c.band
) AS x
WHERE x.agency_id NOT IN (SELECT agency_id FROM _scope)
