-- An older warehouse's own decisions (whatever columns its version had).
SELECT * FROM main.finding_decisions ORDER BY fingerprint
