-- Table 2 (active disclosure) per year and template: each template's own fields stay apart
-- (region × year cube, whose keys include the template).
SELECT year, template, CAST(sum(n_reports) AS BIGINT) AS n_reports, {active_sums}
FROM region_year
WHERE {where}
GROUP BY year, template
ORDER BY year, template
