-- One metric ($metric, a registry key; $is_ratio its kind) per agency over the chosen years, with
-- its peer group's statistics (same level and kind): median, quartiles, P10/P90, percentile rank
-- and the robust score (distance from the peer median in scaled median absolute deviations).
-- $looked_up (whole_warehouse.sql: the filters choose every current report) says whether the peer
-- statistics and the counts below each shown agency are looked up in what the refresh computed
-- (peer_stats, peer_ecdf) or counted over the chosen agencies; being a bound value, it lets DuckDB
-- drop the other branch before planning it. The percentile rank is had for the shown rows only.
-- $min_den: the minimum denominator of a ranking (0: none); `eligible` says who meets it.
WITH valued AS NOT MATERIALIZED (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           level, kind, n_reports, num, den, metric_value($is_ratio, num, den) AS value
    FROM (SELECT agency_id, name, dataset, level, kind, n_reports,
                 COLUMNS('^' || $metric || '_num$') AS num, COLUMNS('^' || $metric || '_den$') AS den
          FROM agency_window([$metric], $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                             $datasets, $totals))
    WHERE metric_value($is_ratio, num, den) IS NOT NULL
), counted_from AS MATERIALIZED (
    -- counting reads every agency's value four times, so the values are had once; the lookups
    -- read them once (scored), where keeping them would cost more than it saves
    SELECT * FROM valued WHERE NOT $looked_up
), chosen AS (
    SELECT * FROM counted_from
    UNION ALL
    SELECT * FROM valued WHERE $looked_up
), spread AS (
    SELECT level, kind, n_peers, q, peer_mad
    FROM peer_stats
    WHERE $looked_up AND metric = $metric
    UNION ALL
    -- the group aggregates are joined back for the MAD (window functions over every agency cost
    -- more), and carried with any_value(): grouping on the list of quantiles hashed it per agency
    SELECT s.level, s.kind, any_value(s.n_peers) AS n_peers, any_value(s.q) AS q,
           median(abs(v.value - s.q[1])) AS peer_mad
    FROM counted_from v
    JOIN (SELECT level, kind, count(*) AS n_peers, quantile_cont(value, [0.5, 0.25, 0.75, 0.10, 0.90]) AS q
          FROM counted_from
          WHERE NOT $looked_up
          GROUP BY level, kind) s
      ON v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
    GROUP BY s.level, s.kind
), scored AS (
    SELECT v.*, s.n_peers,
           s.q[1] AS peer_median, s.q[2] AS peer_p25, s.q[3] AS peer_p75,
           s.q[4] AS peer_p10, s.q[5] AS peer_p90, s.peer_mad,
           (v.value - s.q[1]) / nullif(1.4826 * s.peer_mad, 0) AS robust_score
    FROM chosen v JOIN spread s ON v.level IS NOT DISTINCT FROM s.level AND v.kind IS NOT DISTINCT FROM s.kind
    WHERE len($agencies) = 0 OR list_contains($agencies, v.agency_id)
), shown AS MATERIALIZED (
    -- a rate on fewer than $min_den cases never ranks ahead of one on more (shown after them)
    SELECT *, NOT ($is_ratio AND den < $min_den) AS eligible,
           CASE $order
               WHEN 'asc' THEN value
               WHEN 'outlier' THEN -abs(coalesce(robust_score, 0))
               ELSE -value
           END AS sort_key
    FROM scored
    ORDER BY eligible DESC, sort_key, name
    LIMIT $limit
), counted_below AS (
    -- peer_ecdf over the chosen agencies: agencies' values repeat, so the running count over each
    -- group's distinct values is had from one sort, where pairing every shown agency with every
    -- peer below it paired 1.35 M rows for a whole country over part of the years
    SELECT level, kind, value,
           sum(n) OVER (PARTITION BY level, kind ORDER BY value
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS n_below
    FROM (SELECT level, kind, value, count(*) AS n FROM counted_from WHERE NOT $looked_up GROUP BY ALL)
), below AS (
    SELECT s.agency_id, e.n_below
    FROM shown s
    JOIN peer_ecdf e
      ON e.metric = $metric AND e.level IS NOT DISTINCT FROM s.level AND e.kind IS NOT DISTINCT FROM s.kind
     AND e.value = s.value
    WHERE $looked_up
    UNION ALL
    SELECT s.agency_id, coalesce(r.n_below, 0) AS n_below
    FROM shown s
    JOIN counted_below r
      ON r.level IS NOT DISTINCT FROM s.level AND r.kind IS NOT DISTINCT FROM s.kind AND r.value = s.value
    WHERE NOT $looked_up
)
SELECT s.agency_id, s.name, s.level, s.kind, s.n_reports, s.num, s.den, s.value,
       s.n_peers, s.peer_median, s.peer_p25, s.peer_p75, s.peer_p10, s.peer_p90,
       coalesce(b.n_below / nullif(s.n_peers - 1, 0), 0) AS peer_percentile,
       s.peer_mad, s.robust_score, s.eligible
FROM shown s JOIN below b USING (agency_id)
ORDER BY s.eligible DESC, s.sort_key, s.name
