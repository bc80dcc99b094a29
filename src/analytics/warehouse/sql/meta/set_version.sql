-- Remember the definitions hash.
INSERT OR REPLACE INTO warehouse_meta VALUES ('schema', ?)
