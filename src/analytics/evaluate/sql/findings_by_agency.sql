-- Findings of the chosen reports per agency and severity, dismissed ones left out, with how many
-- still wait for a decision (no decision row) and how many a reviewer confirmed or acted on.
SELECT f.agency_id, any_value(f.name) AS name, f.year,
       CAST(count(*) FILTER (WHERE f.severity = 'error') AS INTEGER) AS n_error,
       CAST(count(*) FILTER (WHERE f.severity = 'warning') AS INTEGER) AS n_warning,
       CAST(count(*) FILTER (WHERE d.status IS NULL) AS INTEGER) AS n_open,
       CAST(count(*) FILTER (WHERE d.status IS NOT NULL) AS INTEGER) AS n_decided
FROM findings_placed f
LEFT JOIN finding_decisions d USING (fingerprint)
WHERE {where} AND f.severity IN ('error', 'warning') AND d.status IS DISTINCT FROM 'dismissed'
GROUP BY f.agency_id, f.year
ORDER BY n_error DESC, n_warning DESC, name
