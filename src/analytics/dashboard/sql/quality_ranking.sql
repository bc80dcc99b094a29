-- The quality score of each chosen report (report_quality, src/analytics/spec/quality.toml) with
-- every part, what it was computed from, and its rank: among all chosen reports and within its peer
-- group (same level and kind, the same year). Highest score first; ties share a rank.
SELECT report_id, agency_id, name, dataset, year, level, kind, province, city, county,
       score, completeness, n_required, n_blank,
       consistency, n_errors, n_warnings,
       timeliness, published, deadline, days_late, on_time,
       originality, copy_rate, prev_report_id,
       CAST(rank() OVER (ORDER BY score DESC) AS INTEGER) AS rank_all,
       CAST(rank() OVER (PARTITION BY year, level, kind ORDER BY score DESC) AS INTEGER) AS rank_peer,
       CAST(count(*) OVER (PARTITION BY year, level, kind) AS INTEGER) AS n_peer
FROM report_quality
WHERE {where}
ORDER BY score DESC, name, year
LIMIT $limit
