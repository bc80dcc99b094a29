-- One line of the ingest log.
INSERT INTO ingest_log (batch_id, path, sha256, status, reason, report_id, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?)
