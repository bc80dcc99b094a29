-- Refresh the columns of report_wide that change without new cells: the version flag and the
-- agency's description, for every report of the agencies in the temp table _scope(agency_id).
UPDATE report_wide AS w
SET is_current = r.is_current,
    name = ag.name, level = ag.level, kind = ag.kind,
    province = ag.province, city = ag.city, county = ag.county, parent_id = ag.parent_id
FROM reports r, agencies ag
WHERE r.report_id = w.report_id
  AND ag.agency_id = r.agency_id
  AND w.agency_id IN (SELECT agency_id FROM _scope)
