-- The metrics view: every metric's numerator, denominator and value per current report.
SELECT * FROM report_metrics ORDER BY agency_id, year
