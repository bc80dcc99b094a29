-- The latest ingest batches and how each file fared.
SELECT batch_id, logged_at, path, status, reason, report_id
FROM ingest_log
ORDER BY batch_id DESC, logged_at DESC, path
LIMIT $limit
