-- Table 3 of the checked reports, one value per (report, row, column), where a blank 总计 cell
-- is replaced by the sum of its row's parts (T3_BLANK_TOTAL reports the blank itself).
-- Blank parts stay NULL here; rules add them as 0 and count them to tell "all blank".
CREATE OR REPLACE TEMP TABLE _app_cells AS
WITH c AS (
    SELECT c.report_id, c.row_key, c.col_key, c.value
    FROM cells c JOIN _check k ON k.report_id = c.report_id
    WHERE c.tbl = 'applications'
),
derived_total AS (
    SELECT report_id, row_key, 'total' AS col_key, sum(value) AS value
    FROM c WHERE col_key <> 'total'
    GROUP BY report_id, row_key
    HAVING count(value) > 0
)
SELECT c.report_id, c.row_key, c.col_key,
       CASE WHEN c.col_key = 'total' AND c.value IS NULL THEN d.value ELSE c.value END AS value
FROM c LEFT JOIN derived_total d
  ON d.report_id = c.report_id AND d.row_key = c.row_key AND c.col_key = 'total'
UNION ALL
SELECT d.report_id, d.row_key, d.col_key, d.value
FROM derived_total d
WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.report_id = d.report_id AND c.row_key = d.row_key AND c.col_key = 'total')
