-- Files that ingest refused, newest first, with the one-line reason.
SELECT at, path, sha256, reason
FROM ingest_log
WHERE status = 'refused'
ORDER BY at DESC, path
LIMIT $limit
