-- A group's value of a metric from its summed numerator and denominator: sum(num) / sum(den) for
-- a rate (NULL when the denominator is 0), sum(num) for a count or an amount. The summary tables
-- and the dashboard both use it, so looked-up and computed values compare equal.
CREATE OR REPLACE MACRO metric_value(is_ratio, num, den) AS
    CASE WHEN is_ratio THEN CAST(num AS DOUBLE) / nullif(den, 0) ELSE CAST(num AS DOUBLE) END
