-- Store the rows of one rule query (the slot holds the text of a rules/*.sql file or a select
-- from the registered frame of prose findings), with their fingerprint and scope (a parameter).
INSERT INTO findings (fingerprint, rule, severity, scope, report_id, agency_id, year, subject, message, expected, actual)
SELECT rule || '|' || agency_id || '|' || coalesce(CAST(year AS VARCHAR), '') || '|' || subject,
       rule, severity, ?, report_id, agency_id, year, subject, message,
       CAST(expected AS DOUBLE), CAST(actual AS DOUBLE)
FROM ({query})
