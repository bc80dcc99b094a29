-- Sums over the chosen reports of every applications row (总计 column), the outcome groups and
-- the new applications by applicant type.
SELECT count(*) AS n_reports, {outcome_sums}
FROM report_wide
WHERE is_current AND {where}
