-- report_wide summed per dataset, province, city, county, level, kind, year and template: every
-- dashboard filter is one of its keys, so the region totals read it (about 11× fewer rows than
-- report_wide at national scale). n_reports, the sum of every additive report_wide column (all
-- after parent_id) and of every metric's numerator and denominator.
-- The two sides are aggregated apart and joined on the ~10⁵ keys: joining the million report rows
-- first cost about four times more.
CREATE OR REPLACE TABLE region_year AS
WITH w AS (
    SELECT dataset, province, city, county, level, kind, year, template, count(*) AS n_reports,
           sum(COLUMNS(* EXCLUDE (report_id, agency_id, year, template, scope, dataset, published,
                                  is_current, name, level, kind, province, city, county, parent_id)))
    FROM report_wide
    WHERE is_current
    GROUP BY dataset, province, city, county, level, kind, year, template
), m AS (
    SELECT dataset, province, city, county, level, kind, year, template,
           sum(COLUMNS('_(num|den)$'))
    FROM agency_year
    GROUP BY dataset, province, city, county, level, kind, year, template
)
SELECT w.*, m.* EXCLUDE (dataset, province, city, county, level, kind, year, template)
FROM w
LEFT JOIN m
  ON m.dataset IS NOT DISTINCT FROM w.dataset AND m.province IS NOT DISTINCT FROM w.province
 AND m.city IS NOT DISTINCT FROM w.city AND m.county IS NOT DISTINCT FROM w.county
 AND m.level IS NOT DISTINCT FROM w.level AND m.kind IS NOT DISTINCT FROM w.kind
 AND m.year IS NOT DISTINCT FROM w.year AND m.template IS NOT DISTINCT FROM w.template
ORDER BY w.province, w.city NULLS FIRST, w.county NULLS FIRST, w.year
