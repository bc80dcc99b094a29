-- The store's version (moves on with every committed write).
SELECT value FROM meta WHERE key = 'version'
