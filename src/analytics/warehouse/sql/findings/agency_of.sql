-- The agency a finding belongs to (to refresh that agency's counts after a decision).
SELECT agency_id FROM findings WHERE fingerprint = ? LIMIT 1
