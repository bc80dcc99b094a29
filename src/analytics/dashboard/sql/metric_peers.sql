-- One metric per agency over the chosen years, with its peer group's statistics (same level and
-- kind): median, quartiles, P10/P90, percentile rank and the robust score (distance from the peer
-- median in scaled median absolute deviations).
-- {agency_rows}: one row per agency of the chosen region and years (queries._agency_rows).
-- The peer statistics and the counts below each shown agency (slots filled from sql/peers/) are
-- computed over the chosen agencies or, in the default view, looked up in the tables the refresh
-- computes; the percentile rank is had for the shown rows only.
WITH valued AS (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           level, kind, n_reports, num, den, {value} AS value
    FROM (SELECT agency_id, name, dataset, level, kind, n_reports, {num} AS num, {den} AS den
          FROM ({agency_rows}))
    WHERE {value} IS NOT NULL
), spread AS (
    {peer_stats}
), scored AS (
    SELECT v.*, s.n_peers,
           s.q[1] AS peer_median, s.q[2] AS peer_p25, s.q[3] AS peer_p75,
           s.q[4] AS peer_p10, s.q[5] AS peer_p90, s.peer_mad,
           (v.value - s.q[1]) / nullif(1.4826 * s.peer_mad, 0) AS robust_score
    FROM valued v JOIN spread s ON v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
    WHERE len($agencies) = 0 OR list_contains($agencies, v.agency_id)
), shown AS (
    SELECT *,
           CASE $order
               WHEN 'asc' THEN value
               WHEN 'outlier' THEN -abs(coalesce(robust_score, 0))
               ELSE -value
           END AS sort_key
    FROM scored
    ORDER BY sort_key, name
    LIMIT $limit
), below AS (
    {below}
)
SELECT s.agency_id, s.name, s.level, s.kind, s.n_reports, s.num, s.den, s.value,
       s.n_peers, s.peer_median, s.peer_p25, s.peer_p75, s.peer_p10, s.peer_p90,
       coalesce(b.n_below / nullif(s.n_peers - 1, 0), 0) AS peer_percentile,
       s.peer_mad, s.robust_score
FROM shown s JOIN below b USING (agency_id)
ORDER BY s.sort_key, s.name
