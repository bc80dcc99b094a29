-- The quality score of each chosen report (report_quality, src/analytics/spec/quality.toml) with
-- every part, what it was computed from, and its rank: among all chosen reports and within its peer
-- group (same level and kind, the same year). Highest score first; ties share a rank.
-- Findings a reviewer dismissed are no problem of the report: the mart counts every finding (the
-- decisions live in the review store and change without a warehouse write), so consistency and
-- the score are taken again here without them, by the mart's own formula (slots from the registry,
-- analytics.quality.mart_slots).
WITH dismissed AS (
    SELECT f.report_id,
           count(*) FILTER (WHERE f.severity = 'error') AS n_error,
           count(*) FILTER (WHERE f.severity = 'warning') AS n_warning
    FROM findings f
    JOIN finding_decisions d USING (fingerprint)
    WHERE d.status = 'dismissed'
    GROUP BY f.report_id
),
open AS (
    SELECT q.* REPLACE (q.n_errors - coalesce(x.n_error, 0) AS n_errors,
                        q.n_warnings - coalesce(x.n_warning, 0) AS n_warnings,
                        greatest(0.0, 1 - {error_penalty} * (q.n_errors - coalesce(x.n_error, 0))
                                      - {warning_penalty} * (q.n_warnings - coalesce(x.n_warning, 0)))
                            AS consistency)
    FROM report_quality q
    LEFT JOIN dismissed x USING (report_id)
),
scored AS (
    SELECT * REPLACE (
        100 * ({w_completeness} * completeness + {w_consistency} * consistency
               + coalesce({w_timeliness} * timeliness, 0) + coalesce({w_originality} * originality, 0))
            / ({w_completeness} + {w_consistency}
               + CASE WHEN timeliness IS NULL THEN 0 ELSE {w_timeliness} END
               + CASE WHEN originality IS NULL THEN 0 ELSE {w_originality} END) AS score)
    FROM open
),
shown AS (
    SELECT * FROM scored WHERE {where} ORDER BY score DESC, name, year LIMIT $limit
),
peers AS (
    SELECT year AS peer_year, level AS peer_level, kind AS peer_kind, CAST(count(*) AS INTEGER) AS n_peer
    FROM report_quality
    WHERE {where}
    GROUP BY ALL
)
-- Every report scored above a shown one is shown too (the shown are the highest scores), so a
-- rank among the shown, which counts the higher scores, is its rank among all chosen reports
-- and within its peer group: one sort of the shown rows instead of two of every chosen report.
SELECT report_id, agency_id, name, dataset, year, level, kind, province, city, county,
       score, completeness, n_required, n_blank,
       consistency, n_errors, n_warnings,
       timeliness, published, deadline, days_late, on_time,
       originality, copy_rate, prev_report_id,
       CAST(rank() OVER (ORDER BY score DESC) AS INTEGER) AS rank_all,
       CAST(rank() OVER (PARTITION BY year, level, kind ORDER BY score DESC) AS INTEGER) AS rank_peer,
       n_peer
FROM shown
LEFT JOIN peers ON peer_year = year AND peer_level IS NOT DISTINCT FROM level AND peer_kind IS NOT DISTINCT FROM kind
ORDER BY score DESC, name, year
