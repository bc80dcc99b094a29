-- Outcome groups by applicant column (every ag_<group>_<col>) summed over the chosen reports, from
-- region_year; one row per column, NULL sums left out.
UNPIVOT (SELECT sum(COLUMNS('^ag_')) FROM region_year WHERE {where})
ON COLUMNS(*) INTO NAME name VALUE value
