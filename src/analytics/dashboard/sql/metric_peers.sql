-- One metric per agency over the chosen years, with its peer group's statistics (same level and
-- kind): median, quartiles, P10/P90, percentile rank and the robust score (distance from the peer
-- median in scaled median absolute deviations).
-- {source}: report_metrics, or agency_total (one row per agency) when every year is chosen.
WITH per_agency AS (
    SELECT agency_id,
           any_value(name) || CASE WHEN any_value(dataset) = 'demo' THEN '（演示）' ELSE '' END AS name,
           any_value(level) AS level,
           any_value(kind) AS kind,
           {n_reports} AS n_reports,
           {num} AS num,
           {den} AS den
    FROM {source}
    WHERE {where}
    GROUP BY agency_id
), valued AS (
    SELECT *, {value} AS value FROM per_agency
), peers AS (
    SELECT *,
           count(value) OVER w AS n_peers,
           median(value) OVER w AS peer_median,
           quantile_cont(value, 0.25) OVER w AS peer_p25,
           quantile_cont(value, 0.75) OVER w AS peer_p75,
           quantile_cont(value, 0.10) OVER w AS peer_p10,
           quantile_cont(value, 0.90) OVER w AS peer_p90,
           percent_rank() OVER (PARTITION BY level, kind ORDER BY value) AS peer_percentile
    FROM valued
    WHERE value IS NOT NULL
    WINDOW w AS (PARTITION BY level, kind)
), spread AS (
    SELECT *, median(abs(value - peer_median)) OVER (PARTITION BY level, kind) AS peer_mad FROM peers
)
SELECT *,
       (value - peer_median) / nullif(1.4826 * peer_mad, 0) AS robust_score
FROM spread
WHERE len($agencies) = 0 OR list_contains($agencies, agency_id)
ORDER BY CASE $order
             WHEN 'asc' THEN value
             WHEN 'outlier' THEN -abs(coalesce((value - peer_median) / nullif(1.4826 * peer_mad, 0), 0))
             ELSE -value
         END,
         name
LIMIT $limit
