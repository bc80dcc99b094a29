-- agency_total in long form: one row per agency, dataset and metric with the metric's summed
-- numerator, denominator and value (rows without a value left out). Each row's numerators and
-- denominators are packed into two lists in column order and unnested together; the names of
-- agency_total's own _num columns, in the same order, say which metric each position is, and
-- metric_defs whether it is a rate.
CREATE OR REPLACE TABLE agency_metric AS
WITH named AS (
    SELECT d.key, d.is_ratio, c.column_index
    FROM duckdb_columns() c
    JOIN metric_defs d ON c.column_name = d.key || '_num'
    WHERE c.table_name = 'agency_total' AND c.schema_name = current_schema()
      AND c.database_name = current_database()
), numbered AS (
    SELECT key, is_ratio, row_number() OVER (ORDER BY column_index) AS position FROM named
), cells AS (
    SELECT agency_id, dataset, level, kind,
           unnest(list_value(*COLUMNS('_num$'))) AS num,
           unnest(list_value(*COLUMNS('_den$'))) AS den,
           generate_subscripts(list_value(*COLUMNS('_num$')), 1) AS position
    FROM agency_total
)
SELECT n.key AS metric, c.agency_id, c.dataset, c.level, c.kind, c.num, c.den,
       metric_value(n.is_ratio, c.num, c.den) AS value
FROM cells c
JOIN numbered n USING (position)
WHERE metric_value(n.is_ratio, c.num, c.den) IS NOT NULL
