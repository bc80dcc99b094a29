-- Which version of each (agency, year) pair in the registered frame _current_pairs is current.
-- Versions are taken in the order they were loaded; one is a candidate unless its published
-- date is earlier than that of a version loaded before it (an older text loaded again, or
-- late: it must not turn the figures back). The last candidate is current. A version without
-- a date cannot be placed, so it is a candidate, as it was when versions were taken in load
-- order alone; its log line says which version it replaced.
UPDATE reports SET is_current = ranked.is_current
FROM (
    SELECT report_id,
           candidate AND row_number() OVER (PARTITION BY agency_id, year, candidate
                                            ORDER BY loaded_at DESC NULLS LAST, report_id DESC) = 1 AS is_current
    FROM (
        SELECT r.report_id, r.agency_id, r.year, r.loaded_at,
               r.published IS NULL
               OR r.published >= coalesce(max(r.published) OVER (
                      PARTITION BY r.agency_id, r.year ORDER BY r.loaded_at NULLS FIRST, r.report_id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), r.published) AS candidate
        FROM reports r
        JOIN _current_pairs p ON r.agency_id = p.agency_id AND r.year = p.year
    )
) AS ranked
WHERE reports.report_id = ranked.report_id AND reports.is_current IS DISTINCT FROM ranked.is_current
RETURNING reports.agency_id
