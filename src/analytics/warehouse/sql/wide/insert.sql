-- Add the report_wide rows of the reports in _batch (the slot is report_wide_select.sql).
INSERT INTO report_wide {select}
