-- Older versions of the (agency, year) pairs in the registered frame _new_pairs stop being current.
UPDATE reports SET is_current = false
FROM _new_pairs p
WHERE reports.agency_id = p.agency_id AND reports.year = p.year AND reports.is_current
