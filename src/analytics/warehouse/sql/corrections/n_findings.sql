-- How many findings an agency has (what a correction's message reports before and after).
SELECT count(*) FROM findings WHERE agency_id = ?
