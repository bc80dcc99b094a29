-- The reports report_wide must gain: those just inserted.
CREATE OR REPLACE TEMP TABLE _batch AS SELECT report_id FROM _new_reports
