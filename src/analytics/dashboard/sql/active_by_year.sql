-- Table 2 (active disclosure) per year and template: each template's own fields stay apart.
SELECT year, template, count(*) AS n_reports, {active_sums}
FROM report_wide
WHERE is_current AND {where}
GROUP BY year, template
ORDER BY year, template
