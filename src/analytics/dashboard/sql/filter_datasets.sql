-- Datasets present in the warehouse, with their current report counts.
SELECT dataset, count(*) AS n_reports FROM report_wide WHERE is_current GROUP BY dataset ORDER BY dataset
