-- The definitions hash this file was built with.
SELECT value FROM warehouse_meta WHERE key = 'schema'
