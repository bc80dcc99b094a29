-- Widen _scope(agency_id) to every agency whose findings a change in scope can alter: parents
-- (H_SUM compares a parent with its parts) and agencies whose prose shares a band with a
-- scoped report (DUPLICATE_TEXT is recorded on both reports of a pair).
INSERT INTO _scope
SELECT DISTINCT x.agency_id FROM (
    SELECT a.parent_id AS agency_id
    FROM agencies a JOIN _scope s ON s.agency_id = a.agency_id
    WHERE a.parent_id IS NOT NULL
    UNION
    SELECT other.agency_id
    FROM (SELECT r.agency_id, unnest(t.bands) AS band, generate_subscripts(t.bands, 1) AS bi
          FROM report_textsig t JOIN reports r ON r.report_id = t.report_id
          WHERE r.is_current AND r.agency_id IN (SELECT agency_id FROM _scope)) AS mine
    JOIN (SELECT r.agency_id, unnest(t.bands) AS band, generate_subscripts(t.bands, 1) AS bi
          FROM report_textsig t JOIN reports r ON r.report_id = t.report_id
          WHERE r.is_current) AS other
      ON other.band = mine.band AND other.bi = mine.bi
) AS x
WHERE x.agency_id NOT IN (SELECT agency_id FROM _scope)
