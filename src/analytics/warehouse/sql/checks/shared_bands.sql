-- The CTE ``buckets``: the MinHash bands (bi, band) of the rows of ``mine`` that 2 to 50 current
-- reports share. A band shared by more than 50 reports is template wording, not copying (and would
-- turn the pair search quadratic). DUPLICATE_TEXT pairs reports through it, and the scope of a
-- check widens through it to every agency such a pair can involve.
buckets AS (
    SELECT c.bi, c.band
    FROM current_bands c
    WHERE (c.bi, c.band) IN (SELECT (bi, band) FROM mine)
    GROUP BY c.bi, c.band
    HAVING count(*) BETWEEN 2 AND 50
)
