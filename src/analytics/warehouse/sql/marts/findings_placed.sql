-- Findings of current reports with the columns the dashboard filters by, in the order the
-- findings list shows them: the data-quality page filters this instead of joining a hundred
-- thousand findings to a million reports on every view. Decisions stay in their own table.
CREATE OR REPLACE TABLE findings_placed AS
SELECT f.fingerprint, f.rule, f.severity, f.scope, f.year, f.subject, f.message, f.expected, f.actual,
       r.report_id, r.agency_id, r.name, r.dataset, r.province, r.city, r.county, r.level, r.kind
FROM findings f
JOIN report_wide r ON r.is_current AND r.agency_id = f.agency_id AND r.year = f.year
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, r.name, f.year, f.rule, f.fingerprint
