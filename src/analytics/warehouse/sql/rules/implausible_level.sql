-- IMPLAUSIBLE_LEVEL: 规章 reported by an agency that cannot make them (townships, departments,
-- zones and county-level bodies; provincial and city governments and national bodies can).
WITH v AS (
    SELECT k.report_id, k.agency_id, k.year, k.kind, k.level,
           greatest(coalesce(w.ad_regulations_issued, 0), coalesce(w.ad_regulations_in_force, 0),
                    coalesce(w.ad_regulations_new_made, 0), coalesce(w.ad_regulations_new_published, 0),
                    coalesce(w.ad_regulations_total_published, 0)) AS regs
    FROM _check k JOIN report_wide w ON w.report_id = k.report_id
)
SELECT 'IMPLAUSIBLE_LEVEL' AS rule, 'warning' AS severity, report_id, agency_id, year, 'regulations' AS subject,
       format('{}（{}级{}）报告了规章 {} 件，但只有省级和设区的市级人民政府及国务院部门制定规章',
              agency_id, coalesce(level, '?'), coalesce(kind, '?'), fmt_num(regs)) AS message,
       0.0 AS expected, regs AS actual
FROM v
WHERE regs > 0 AND coalesce(level, '') <> 'national'
  AND (kind IN ('township', 'department', 'zone') OR level IN ('county', 'township'))
