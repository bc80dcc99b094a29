-- Number of findings per rule and severity for the chosen reports, open ones apart.
-- findings_placed: the findings of current reports with their place (built by the refresh).
SELECT f.rule, f.severity, count(*) AS n, count(*) FILTER (WHERE d.status IS NULL) AS n_open
FROM findings_placed f
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE {where}
GROUP BY ALL
ORDER BY n DESC, f.rule
