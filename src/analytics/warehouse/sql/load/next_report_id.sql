-- The first free report id (one writer at a time, so no sequence race).
SELECT coalesce(max(report_id), 0) + 1 FROM reports
