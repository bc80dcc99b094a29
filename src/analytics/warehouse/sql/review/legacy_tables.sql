-- The decision tables an older warehouse holds itself (named in its own catalog, so that a
-- registered table of the review store does not hide them).
SELECT table_name FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name IN ('finding_decisions', 'finding_decision_log')
