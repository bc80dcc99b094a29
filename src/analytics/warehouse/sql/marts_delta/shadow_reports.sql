-- As shadow_agencies, for a relation keyed by report only (cells, report_textsig): the rows of
-- the scope's agencies' reports, every version (_mart_reports).
CREATE OR REPLACE TEMP VIEW {table} AS
SELECT * FROM {catalog}.main.{table} WHERE report_id IN (SELECT report_id FROM _mart_reports)
