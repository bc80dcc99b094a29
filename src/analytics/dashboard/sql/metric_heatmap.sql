-- The largest agencies of the region by metric, each metric as its percentile rank among all
-- agencies of the region (so different units share one colour scale), for the chosen metrics.
-- A rank is (agencies with a smaller value) / (agencies with a value - 1), read from a table of
-- each metric's distinct values with how many agencies lie below each. When the filters choose
-- every current report ($looked_up, from whole_warehouse.sql; a bound value, so DuckDB drops the
-- other branch before planning it) that table is metric_ecdf, built by the refresh; otherwise it
-- is built here from the chosen agencies, per metric and only up to the largest shown value (one
-- grouping of 144 k numbers per metric cost a third of pairing every shown agency with every
-- agency). The summed columns ($columns) are the fewest that give every metric's numerator and
-- denominator: metrics that share a denominator share its sum (queries.heatmap_slots).
WITH per_agency AS NOT MATERIALIZED (
    SELECT agency_id, name, dataset,
           {metric_values}
    FROM agency_window($columns, $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                       $datasets, $totals)
), counted_from AS MATERIALIZED (
    -- every agency's values are read once per metric below, so they are had once; the lookups
    -- need only the shown agencies', which the top-N below takes without keeping the others
    SELECT * FROM per_agency WHERE NOT $looked_up
), shown AS MATERIALIZED (
    SELECT * FROM (SELECT * FROM counted_from ORDER BY applications DESC NULLS LAST, name, dataset = 'demo'
                   LIMIT $limit)
    UNION ALL
    SELECT * FROM (SELECT * FROM per_agency WHERE $looked_up
                   ORDER BY applications DESC NULLS LAST, name, dataset = 'demo' LIMIT $limit)
), n_values AS (
    UNPIVOT (SELECT {count_columns} FROM counted_from)
    ON COLUMNS(*) INTO NAME metric VALUE n_values
), ecdf AS (
    SELECT metric, value, sum(n) OVER (PARTITION BY metric ORDER BY value) - n AS n_below, n_values
    FROM ({distinct_values}) JOIN n_values USING (metric)
    UNION ALL
    SELECT metric, value, n_below, n_values FROM metric_ecdf WHERE $looked_up
), shown_long AS (
    -- applications as well, so that the column list is never empty: a heat map of no metric
    -- still lists the agencies (their rows of it are never read)
    UNPIVOT (SELECT agency_id, COLUMNS(lambda c: list_contains($ranked, c) OR c = 'applications') FROM shown)
    ON COLUMNS(* EXCLUDE (agency_id)) INTO NAME metric VALUE value
), ranked AS (
    SELECT s.agency_id, {rank_columns}
    FROM shown s
    LEFT JOIN (SELECT u.agency_id, u.metric, coalesce(e.n_below / nullif(e.n_values - 1, 0), 0) AS pct
               FROM shown_long u JOIN ecdf e ON e.metric = u.metric AND e.value = u.value) l
      ON l.agency_id = s.agency_id
    GROUP BY s.agency_id
)
SELECT s.agency_id, s.name || CASE WHEN s.dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
       s.applications AS size, r.* EXCLUDE (agency_id)
FROM shown s JOIN ranked r USING (agency_id)
ORDER BY size DESC NULLS LAST, name
