-- X_MISSING_YEAR: the agency has reports before and after a year but none for that year.
WITH span AS (
    SELECT agency_id, min(year) AS y0, max(year) AS y1, list(year) AS years
    FROM _check GROUP BY agency_id
),
gaps AS (
    SELECT agency_id, unnest(generate_series(y0 + 1, y1 - 1)) AS year, years
    FROM span WHERE y1 - y0 > 1
)
SELECT 'X_MISSING_YEAR' AS rule, 'warning' AS severity, CAST(NULL AS BIGINT) AS report_id, agency_id, year,
       'year' AS subject,
       format('已有 {} 年前后的报告，缺少 {} 年度报告', year, year) AS message,
       NULL AS expected, NULL AS actual
FROM gaps
WHERE NOT list_contains(years, year)
