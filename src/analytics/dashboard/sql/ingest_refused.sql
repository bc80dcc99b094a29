-- Files that ingest refused, newest first, with the one-line reason.
SELECT logged_at, path, sha256, reason
FROM ingest_log
WHERE status = 'refused'
ORDER BY logged_at DESC, path
LIMIT $limit
