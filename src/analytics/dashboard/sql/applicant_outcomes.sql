-- Outcome groups by applicant column (ag_<group>_<col>) summed over the chosen reports, from the
-- region × year cube; one row per column, NULL sums left out.
UNPIVOT (SELECT {ag_sums} FROM region_year WHERE {where})
ON COLUMNS(*) INTO NAME name VALUE value
