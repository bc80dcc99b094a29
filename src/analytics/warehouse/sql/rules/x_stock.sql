-- X_STOCK (2021 template, both years): in_force ≈ last year's in_force + issued − repealed.
-- Revisions and lapses make small gaps normal: a gap counts when above 2 and above 10 %.
WITH pairs AS (
    SELECT k.report_id, k.agency_id, k.year, w.*  EXCLUDE (report_id, agency_id, year),
           wp.ad_regulations_in_force AS prev_regulations_in_force,
           wp.ad_normative_in_force AS prev_normative_in_force
    FROM _check k
    JOIN _check kp ON kp.agency_id = k.agency_id AND kp.year = k.year - 1
    JOIN report_wide w ON w.report_id = k.report_id
    JOIN report_wide wp ON wp.report_id = kp.report_id
    WHERE k.template = '2021' AND kp.template = '2021'
),
v AS (
    SELECT report_id, agency_id, year, 'regulations' AS subject, '规章' AS zh,
           prev_regulations_in_force AS prev_stock, ad_regulations_issued AS issued,
           ad_regulations_repealed AS repealed, ad_regulations_in_force AS stock
    FROM pairs
    UNION ALL
    SELECT report_id, agency_id, year, 'normative', '行政规范性文件',
           prev_normative_in_force, ad_normative_issued, ad_normative_repealed, ad_normative_in_force
    FROM pairs
),
g AS (
    SELECT *, coalesce(prev_stock, 0) + coalesce(issued, 0) - coalesce(repealed, 0) AS expected
    FROM v
    WHERE prev_stock IS NOT NULL AND stock IS NOT NULL
)
SELECT 'X_STOCK' AS rule, 'warning' AS severity, report_id, agency_id, year, subject,
       format('{}现行有效 {} 件，按上年 {} 件加本年制发 {} 件减废止 {} 件应约为 {} 件', zh, fmt_num(stock),
              fmt_num(prev_stock), fmt_num(coalesce(issued, 0)), fmt_num(coalesce(repealed, 0)), fmt_num(expected))
           AS message,
       expected, stock AS actual
FROM g
WHERE abs(stock - expected) > greatest(2, 0.1 * abs(expected))
