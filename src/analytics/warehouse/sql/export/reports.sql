-- Every report version with its agency's description (prose and warnings as JSON text) and how
-- many of its cells a reviewer corrected.
SELECT r.report_id, r.agency_id, a.name, a.level, a.kind, a.province, a.city, a.county, a.parent_id,
       a.division_code, r.year, r.template, r.scope, r.published, r.is_current, r.dataset,
       r.source_path, r.source_sha256, r.source_format, r.parser_version, r.batch_id, r.loaded_at,
       r.n_cells, r.n_warnings, CAST(r.warnings AS VARCHAR) AS warnings, CAST(r.sections AS VARCHAR) AS sections,
       (SELECT count(DISTINCT (cc.tbl, cc.row_key, cc.col_key)) FROM cell_corrections cc
        WHERE cc.report_id = r.report_id) AS n_corrected
FROM reports r JOIN agencies a ON a.agency_id = r.agency_id
ORDER BY r.agency_id, r.year, r.report_id
