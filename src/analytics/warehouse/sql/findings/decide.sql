-- Record (or replace) the decision on one finding.
INSERT INTO finding_decisions (fingerprint, status, note, decided_at) VALUES (?, ?, ?, ?)
ON CONFLICT (fingerprint) DO UPDATE SET status = excluded.status, note = excluded.note, decided_at = excluded.decided_at
