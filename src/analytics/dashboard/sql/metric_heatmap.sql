-- The largest agencies of the region by metric, each metric as its percentile rank among all
-- agencies of the region (so different units share one colour scale), for the chosen metrics.
-- When the filters choose the whole warehouse (whole_warehouse) each rank is looked up in
-- metric_ecdf; otherwise only the shown agencies are ranked, by counting the agencies below them
-- (a vectorised 0/1 sum is about twice as fast as count(*) FILTER over the pairs), instead of
-- sorting every agency per metric. Slots (queries.heatmap_slots, registry keys only):
-- slot metric_values each metric's value, slot below_columns / slot count_columns / slot percentile_columns
-- the counted ranks, slot lookup_columns the looked-up ones.
WITH chosen AS (
    SELECT $lookups AND whole_warehouse($year_from, $year_to, $province, $city, $county, $levels, $kinds,
                                        $datasets) AS looked_up
), per_agency AS MATERIALIZED (
    SELECT agency_id,
           name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END AS name,
           {metric_values}
    FROM agency_window($year_from, $year_to, $province, $city, $county, $levels, $kinds, $datasets)
), shown AS (
    SELECT * FROM per_agency ORDER BY applications DESC NULLS LAST, name LIMIT $limit
), below AS (
    SELECT s.agency_id, {below_columns}
    FROM shown s CROSS JOIN per_agency p
    WHERE NOT (SELECT looked_up FROM chosen)
    GROUP BY s.agency_id
), n AS (
    SELECT {count_columns} FROM per_agency WHERE NOT (SELECT looked_up FROM chosen)
), ranked AS (
    SELECT s.agency_id, {percentile_columns}
    FROM shown s JOIN below b ON b.agency_id = s.agency_id CROSS JOIN n
    UNION ALL BY NAME
    SELECT s.agency_id, {lookup_columns}
    FROM shown s
    WHERE (SELECT looked_up FROM chosen)
)
SELECT s.agency_id, s.name, s.applications AS size, r.* EXCLUDE (agency_id)
FROM shown s JOIN ranked r USING (agency_id)
ORDER BY size DESC NULLS LAST, name
