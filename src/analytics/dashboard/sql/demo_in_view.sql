-- How many current demo reports the chosen years and region hold: the demo notice shows only then.
SELECT CAST(coalesce(sum(n_reports), 0) AS BIGINT) AS n_demo
FROM region_year
WHERE dataset = 'demo' AND year BETWEEN $year_from AND $year_to AND {region}
