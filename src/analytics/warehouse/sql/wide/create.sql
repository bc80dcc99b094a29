-- Create report_wide from the pivot (the slot is report_wide_select.sql).
CREATE TABLE report_wide AS {select}
