-- report_wide is rebuilt from scratch.
DROP TABLE IF EXISTS report_wide
