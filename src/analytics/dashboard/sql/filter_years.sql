-- Years that have at least one current report (the range of the year slider).
SELECT DISTINCT year FROM report_wide WHERE is_current ORDER BY year
