-- Number of findings per rule and severity for the chosen reports, open ones apart.
WITH r AS (SELECT agency_id, year FROM report_wide WHERE is_current AND {where})
SELECT f.rule, f.severity, count(*) AS n, count(*) FILTER (WHERE d.status IS NULL) AS n_open
FROM findings f
SEMI JOIN r ON f.agency_id = r.agency_id AND f.year = r.year
LEFT JOIN finding_decisions d USING (fingerprint)
GROUP BY ALL
ORDER BY n DESC, f.rule
