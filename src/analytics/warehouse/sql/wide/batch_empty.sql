-- No reports yet: the pivot only gives report_wide its columns.
CREATE OR REPLACE TEMP TABLE _batch (report_id BIGINT)
