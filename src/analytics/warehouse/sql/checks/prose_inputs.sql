-- What the prose rules read for each checked report: its sections, which tables it has, and
-- the table figures its prose may restate.
SELECT k.report_id, k.agency_id, k.year, CAST(r.sections AS VARCHAR) AS sections,
       w.a_new_received, w.rv_total, w.ld_total, w.la_total, w.a_other_no_fee,
       (SELECT count(*) FROM cells c WHERE c.report_id = k.report_id AND c.tbl = 'active_disclosure') AS n_active_disclosure,
       (SELECT count(*) FROM cells c WHERE c.report_id = k.report_id AND c.tbl = 'applications') AS n_applications,
       (SELECT count(*) FROM cells c WHERE c.report_id = k.report_id AND c.tbl = 'review_litigation') AS n_review_litigation
FROM _check k
JOIN reports r ON r.report_id = k.report_id
JOIN report_wide w ON w.report_id = k.report_id
WHERE r.sections IS NOT NULL
