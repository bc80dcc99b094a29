-- Which agencies of the region have which years (current reports), the agencies that need most
-- attention first: the most years of the chosen range without a report, then the most error-level
-- findings in that range (dismissed ones left out), then by name. An agency whose name contains $q ('' for all) is listed
-- even with no report in the range (one row with a NULL year), so a missing agency is not hidden.
-- {years_held} counts an agency's chosen years (queries.coverage: bits of a number, or DISTINCT).
WITH dismissed AS (  -- decisions are few: the findings they dismissed, counted per report
    SELECT f.report_id, count(*) FILTER (WHERE f.severity = 'error') AS n_error,
           count(*) FILTER (WHERE f.severity = 'warning') AS n_warning
    FROM finding_decisions d JOIN findings f ON f.fingerprint = d.fingerprint
    WHERE d.status = 'dismissed'
    GROUP BY f.report_id
),
cur AS NOT MATERIALIZED (
    SELECT w.agency_id, w.year, w.template,
           w.n_findings_error - coalesce(x.n_error, 0) AS n_findings_error,
           w.n_findings_warning - coalesce(x.n_warning, 0) AS n_findings_warning,
           w.name, w.dataset
    FROM report_wide w
    LEFT JOIN dismissed x ON x.report_id = w.report_id
    WHERE w.is_current AND {region}
),
agency AS (
    SELECT agency_id, arg_max(name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END, year) AS name,
           ($year_to - $year_from + 1) - {years_held} AS n_missing,
           coalesce(sum(n_findings_error) FILTER (WHERE year BETWEEN $year_from AND $year_to), 0) AS n_errors
    FROM cur
    GROUP BY agency_id
),
chosen AS (
    SELECT * FROM agency
    WHERE $q = '' OR contains(name, $q)
    ORDER BY n_missing DESC, n_errors DESC, name, agency_id
    LIMIT $limit
)
SELECT c.agency_id, c.name, c.n_missing, c.n_errors, r.year, r.template, r.n_findings_error, r.n_findings_warning
FROM chosen c
LEFT JOIN cur r ON r.agency_id = c.agency_id AND r.year BETWEEN $year_from AND $year_to
ORDER BY c.n_missing DESC, c.n_errors DESC, c.name, c.agency_id, r.year
