-- Findings per rule and severity, with how many are still open.
SELECT f.rule, f.severity, count(*) AS n,
       count(*) FILTER (WHERE d.status IS NULL) AS n_open
FROM findings f LEFT JOIN finding_decisions d ON d.fingerprint = f.fingerprint
GROUP BY f.rule, f.severity
ORDER BY f.rule, f.severity
