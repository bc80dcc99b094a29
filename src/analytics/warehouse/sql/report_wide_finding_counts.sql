-- Error and warning findings per report, for the agencies of _scope. Reviewers' decisions are not
-- counted in here (they live in the review store and change without a warehouse write): readers
-- leave dismissed findings out when they read the counts (dashboard/sql/coverage.sql, profile_years.sql).
UPDATE report_wide AS w
SET n_findings_error = f.n_error,
    n_findings_warning = f.n_warning
FROM (
    SELECT w2.report_id,
           count(fi.fingerprint) FILTER (WHERE fi.severity = 'error') AS n_error,
           count(fi.fingerprint) FILTER (WHERE fi.severity = 'warning') AS n_warning
    FROM report_wide w2
    LEFT JOIN findings fi ON fi.report_id = w2.report_id
    WHERE w2.agency_id IN (SELECT agency_id FROM _scope)
    GROUP BY w2.report_id
) AS f
WHERE f.report_id = w.report_id
