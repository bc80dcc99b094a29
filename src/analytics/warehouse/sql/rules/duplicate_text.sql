-- DUPLICATE_TEXT: two current reports (other agencies, or one agency in two years) whose prose
-- MinHash signatures agree on at least 80 % of positions; candidates share a band that few reports
-- share (the slot: checks/shared_bands). Each report of a pair gets its own finding, naming the other.
WITH mine AS (
    SELECT * FROM current_bands WHERE report_id IN (SELECT report_id FROM _check)
),
{shared_bands},
candidates AS (
    SELECT DISTINCT a.report_id AS rid, b.report_id AS other_id
    FROM mine a
    JOIN buckets k ON k.bi = a.bi AND k.band = a.band
    JOIN current_bands b ON b.bi = a.bi AND b.band = a.band AND b.report_id <> a.report_id
    WHERE NOT (a.agency_id = b.agency_id AND a.year = b.year)
),
scored AS (
    SELECT c.rid, c.other_id,
           list_sum(list_transform(range(1, len(s1.sig) + 1),
                    lambda i: CASE WHEN s1.sig[i] = s2.sig[i] THEN 1 ELSE 0 END)) / len(s1.sig) AS similarity
    FROM candidates c
    JOIN report_textsig s1 ON s1.report_id = c.rid
    JOIN report_textsig s2 ON s2.report_id = c.other_id
)
SELECT 'DUPLICATE_TEXT' AS rule, 'warning' AS severity, k.report_id, k.agency_id, k.year,
       o.agency_id || ':' || o.year AS subject,
       format('正文与{} {} 年度报告约 {}% 相同', o.agency_id, o.year, CAST(round(100 * s.similarity) AS INTEGER))
           AS message,
       NULL AS expected, s.similarity AS actual
FROM scored s
JOIN _check k ON k.report_id = s.rid
JOIN reports o ON o.report_id = s.other_id
WHERE s.similarity >= 0.8
