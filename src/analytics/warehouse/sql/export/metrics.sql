-- The metrics view: every metric's numerator, denominator and value per current report; corrected
-- says that a reviewer corrected a cell of the report (the metrics use the corrected value).
SELECT m.*, m.report_id IN (SELECT report_id FROM cell_corrections) AS corrected
FROM report_metrics m
ORDER BY agency_id, year
