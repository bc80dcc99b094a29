-- Sums over the chosen reports of every applications row (总计 column), the outcome groups and
-- the new applications by applicant type, from the region × year cube.
SELECT CAST(coalesce(sum(n_reports), 0) AS BIGINT) AS n_reports, {outcome_sums}
FROM region_year
WHERE {where}
