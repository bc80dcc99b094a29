-- Every report version goes into a rebuilt report_wide.
CREATE OR REPLACE TEMP TABLE _batch AS SELECT report_id FROM reports
