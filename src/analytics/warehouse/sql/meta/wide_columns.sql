-- The columns report_wide has now, in order (to tell whether fields.csv changed them).
SELECT column_name FROM information_schema.columns
WHERE table_name = 'report_wide' AND table_schema = current_schema()
ORDER BY ordinal_position
