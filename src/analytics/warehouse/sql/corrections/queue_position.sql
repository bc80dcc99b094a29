-- This warehouse's id and the last correction of the review store's queue it has taken (applied,
-- or passed over as naming a report this file does not hold).
SELECT (SELECT value FROM warehouse_meta WHERE key = 'warehouse_id'),
       coalesce((SELECT CAST(value AS BIGINT) FROM warehouse_meta WHERE key = 'correction_queue'),
                (SELECT max(queue_id) FROM cell_corrections), 0)
