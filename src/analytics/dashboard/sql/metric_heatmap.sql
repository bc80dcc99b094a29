-- The largest agencies of the region by metric, each metric as its percentile rank among all
-- agencies of the region (so different units share one colour scale), for the chosen metrics.
-- When the filters choose every current report ($looked_up, from whole_warehouse.sql; a bound
-- value, so DuckDB drops the other branch before planning it) each rank is looked up in
-- metric_ecdf; otherwise only the shown agencies are ranked, by counting the agencies below them
-- (a vectorised 0/1 sum is about twice as fast as count(*) FILTER over the pairs), instead of
-- sorting every agency per metric. The per-metric column lists (queries.metric_values and
-- queries.heatmap_slots, registry keys only) are the values, the counted ranks and the looked-up
-- ones; the lookups are one join of the shown values in long form.
WITH per_agency AS NOT MATERIALIZED (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_values}
    FROM agency_window($metrics, $year_from, $year_to, $province, $city, $county, $levels, $kinds,
                       $datasets, $totals)
), counted_from AS MATERIALIZED (
    -- counting reads every agency's values three times, so they are had once; the lookups need
    -- only the shown agencies', which the top-N below takes without keeping the others
    SELECT * FROM per_agency WHERE NOT $looked_up
), shown AS MATERIALIZED (
    SELECT * FROM (SELECT * FROM counted_from ORDER BY applications DESC NULLS LAST, name LIMIT $limit)
    UNION ALL
    SELECT * FROM (SELECT * FROM per_agency WHERE $looked_up
                   ORDER BY applications DESC NULLS LAST, name LIMIT $limit)
), below AS (
    SELECT s.agency_id, {below_columns}
    FROM shown s CROSS JOIN counted_from p
    WHERE NOT $looked_up
    GROUP BY s.agency_id
), n AS (
    SELECT {count_columns} FROM counted_from WHERE NOT $looked_up
), counted AS (
    SELECT s.agency_id, {percentile_columns}
    FROM shown s JOIN below b ON b.agency_id = s.agency_id CROSS JOIN n
    WHERE NOT $looked_up
), shown_long AS (
    -- applications as well, so that the column list is never empty: a heat map of no metric
    -- still lists the agencies (their rows of it are never read)
    UNPIVOT (SELECT agency_id, COLUMNS(lambda c: list_contains($ranked, c) OR c = 'applications')
             FROM shown WHERE $looked_up)
    ON COLUMNS(* EXCLUDE (agency_id)) INTO NAME metric VALUE value
), looked_up AS (
    SELECT s.agency_id, {lookup_columns}
    FROM shown s
    LEFT JOIN (SELECT u.agency_id, u.metric, coalesce(e.n_below / nullif(e.n_values - 1, 0), 0) AS pct
               FROM shown_long u JOIN metric_ecdf e ON e.metric = u.metric AND e.value = u.value) l
      ON l.agency_id = s.agency_id
    WHERE $looked_up
    GROUP BY s.agency_id
), ranked AS (
    SELECT * FROM counted
    UNION ALL BY NAME
    SELECT * FROM looked_up
)
SELECT s.agency_id, s.name, s.applications AS size, r.* EXCLUDE (agency_id)
FROM shown s JOIN ranked r USING (agency_id)
ORDER BY size DESC NULLS LAST, name
