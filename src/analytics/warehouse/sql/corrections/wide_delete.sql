-- The report_wide rows of the reports in _batch, before their pivot is added again.
DELETE FROM report_wide WHERE report_id IN (SELECT report_id FROM _batch)
