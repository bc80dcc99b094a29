-- Outcome rows by applicant column, read from the long cells table for the chosen reports.
SELECT c.row_key, c.col_key, sum(c.value) AS value
FROM cells c
SEMI JOIN (SELECT report_id FROM report_wide WHERE is_current AND {where}) f USING (report_id)
WHERE c.tbl = 'applications' AND c.col_key <> 'total' AND c.value IS NOT NULL
GROUP BY ALL
