-- Widen _scope(agency_id) to every agency whose findings a change in scope can alter: parents
-- (H_SUM compares a parent with its parts) and agencies whose prose shares a band with a
-- scoped report (DUPLICATE_TEXT is recorded on both reports of a pair; bands shared by more
-- than 50 reports are ignored there, and so here).
INSERT INTO _scope
WITH mine AS (
    SELECT * FROM current_bands WHERE agency_id IN (SELECT agency_id FROM _scope)
),
buckets AS (
    SELECT c.bi, c.band
    FROM current_bands c
    WHERE (c.bi, c.band) IN (SELECT (bi, band) FROM mine)
    GROUP BY c.bi, c.band
    HAVING count(*) BETWEEN 2 AND 50
)
SELECT DISTINCT x.agency_id FROM (
    SELECT a.parent_id AS agency_id
    FROM agencies a JOIN _scope s ON s.agency_id = a.agency_id
    WHERE a.parent_id IS NOT NULL
    UNION
    SELECT c.agency_id
    FROM current_bands c JOIN buckets k ON k.bi = c.bi AND k.band = c.band
) AS x
WHERE x.agency_id NOT IN (SELECT agency_id FROM _scope)
