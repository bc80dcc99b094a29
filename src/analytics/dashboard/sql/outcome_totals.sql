-- Sums over the chosen reports of the region_year columns named in $columns: every applications
-- row (总计 column), the outcome groups and the new applications by applicant type.
SELECT CAST(coalesce(sum(n_reports), 0) AS BIGINT) AS n_reports,
       sum(COLUMNS($columns))
FROM region_year
WHERE {where}
