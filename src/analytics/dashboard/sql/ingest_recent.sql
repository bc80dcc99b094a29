-- The latest ingest batches and how each file fared.
SELECT batch_id, at, path, status, reason, report_id
FROM ingest_log
ORDER BY batch_id DESC, at DESC, path
LIMIT $limit
