-- One metric ($metric, a registry key; $is_ratio its kind) of one agency each year beside its
-- peers of that year: the agencies of the same level and kind in its city, its province or the
-- whole warehouse ($base), whatever the sidebar's place and years. From agency_year (one row per
-- current report): the peers' P25, median and P75 and the agency's percentile rank
-- (agencies of the group below it / (group size − 1), as metric_peers.sql), which is left empty
-- for a rate on fewer than $min_den cases (shown, not ranked).
WITH me AS (
    SELECT any_value(level) AS level, any_value(kind) AS kind,
           any_value(province) AS province, any_value(city) AS city
    FROM agency_year
    WHERE agency_id = $agency_id
), peers AS (
    SELECT y.agency_id, y.year,
           sum(COLUMNS('^' || $metric || '_num$')) AS num, sum(COLUMNS('^' || $metric || '_den$')) AS den
    FROM agency_year y, me
    WHERE y.level IS NOT DISTINCT FROM me.level AND y.kind IS NOT DISTINCT FROM me.kind
      AND ($base = 'all'
           OR ($base = 'province' AND y.province IS NOT DISTINCT FROM me.province)
           OR ($base = 'city' AND y.province IS NOT DISTINCT FROM me.province AND y.city IS NOT DISTINCT FROM me.city))
      AND list_contains($datasets, y.dataset)
    GROUP BY y.agency_id, y.year
), valued AS (
    SELECT agency_id, year, metric_value($is_ratio, num, den) AS value
    FROM peers
    WHERE metric_value($is_ratio, num, den) IS NOT NULL
), stats AS (
    SELECT year, count(*) AS n_peers, quantile_cont(value, [0.25, 0.5, 0.75]) AS q
    FROM valued
    GROUP BY year
), mine AS (
    SELECT year, num, den, metric_value($is_ratio, num, den) AS value
    FROM peers
    WHERE agency_id = $agency_id
), below AS (
    SELECT m.year, count(v.value) AS n_below
    FROM mine m
    LEFT JOIN valued v ON v.year = m.year AND v.value < m.value
    GROUP BY m.year
)
SELECT m.year, CAST(m.num AS DOUBLE) AS num, CAST(m.den AS DOUBLE) AS den, m.value,
       s.n_peers, s.q[1] AS peer_p25, s.q[2] AS peer_median, s.q[3] AS peer_p75,
       CASE WHEN m.value IS NULL OR ($is_ratio AND m.den < $min_den) THEN NULL
            ELSE coalesce(b.n_below / nullif(s.n_peers - 1, 0), 0) END AS peer_percentile,
       NOT ($is_ratio AND coalesce(m.den, 0) < $min_den) AS eligible
FROM mine m
LEFT JOIN stats s USING (year)
LEFT JOIN below b USING (year)
ORDER BY m.year
