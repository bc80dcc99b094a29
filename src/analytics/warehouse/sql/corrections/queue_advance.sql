-- The queue resumes after this correction at the next write.
INSERT OR REPLACE INTO warehouse_meta VALUES ('correction_queue', CAST($queue_id AS VARCHAR))
