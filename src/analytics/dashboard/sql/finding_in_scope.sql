-- The finding (or a decision on it) by its fingerprint: one row when the session may see it. Run
-- through the scoped reader before a review step, so an account acts only on its region's findings.
SELECT fingerprint FROM findings WHERE fingerprint = $fingerprint
UNION
SELECT fingerprint FROM finding_decisions WHERE fingerprint = $fingerprint
