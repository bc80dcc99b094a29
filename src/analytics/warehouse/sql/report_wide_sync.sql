-- Refresh the columns of report_wide that change without new cells: the version flag and the
-- agency's description. Only rows that differ are written, so a load touching a few agencies
-- costs one scan, not a rewrite of the table. $agencies: the agencies whose reports or
-- description a load changed (NULL: look at every row).
UPDATE report_wide AS w
SET is_current = r.is_current,
    name = ag.name, level = ag.level, kind = ag.kind,
    province = ag.province, city = ag.city, county = ag.county, parent_id = ag.parent_id
FROM reports r, agencies ag
WHERE r.report_id = w.report_id
  AND ag.agency_id = r.agency_id
  AND ($agencies IS NULL OR list_contains($agencies, w.agency_id))
  AND (w.is_current IS DISTINCT FROM r.is_current OR w.name IS DISTINCT FROM ag.name
       OR w.level IS DISTINCT FROM ag.level OR w.kind IS DISTINCT FROM ag.kind
       OR w.province IS DISTINCT FROM ag.province OR w.city IS DISTINCT FROM ag.city
       OR w.county IS DISTINCT FROM ag.county OR w.parent_id IS DISTINCT FROM ag.parent_id)
