-- The warehouse file's own id: an outbox position means something only for the file it came from.
SELECT value FROM warehouse_meta WHERE key = 'warehouse_id'
