-- Table 2 (active disclosure, every ad_ column) per year and template: each template's own fields
-- stay apart (region_year, whose keys include the template).
SELECT year, template, CAST(sum(n_reports) AS BIGINT) AS n_reports, sum(COLUMNS('^ad_'))
FROM region_year
WHERE {where}
GROUP BY year, template
ORDER BY year, template
