-- Whether a decision exists for a fingerprint whose finding is gone.
SELECT 1 FROM finding_decisions WHERE fingerprint = ?
