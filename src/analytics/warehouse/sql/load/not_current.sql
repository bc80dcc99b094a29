-- The versions just loaded (registered _new_reports) that are not current because another
-- version of their (agency, year) was published later: the latest such version's file and date.
SELECT n.report_id, CAST(n.published AS VARCHAR), arg_max(o.source_path, o.published), CAST(max(o.published) AS VARCHAR)
FROM reports n
JOIN reports o ON o.agency_id = n.agency_id AND o.year = n.year AND o.report_id <> n.report_id
              AND o.published > n.published
WHERE n.report_id IN (SELECT report_id FROM _new_reports) AND NOT n.is_current
GROUP BY n.report_id, n.published
