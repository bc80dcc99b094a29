-- The current status of one finding under the write lock ('open' when it has no decision).
SELECT status FROM finding_decisions WHERE fingerprint = ?
