-- Queue what this refresh decided about decisions (the frame _outbox_df), applied to the review
-- store once the warehouse is published.
INSERT INTO review_outbox (seq, kind, fingerprint, from_status, to_status, actor, note, agency_id, year, rule,
                           report_id, "at")
SELECT nextval('review_outbox_seq'), kind, fingerprint, from_status, to_status, actor, note, agency_id, year, rule,
       report_id, $at
FROM (SELECT * FROM _outbox_df ORDER BY kind, fingerprint)
