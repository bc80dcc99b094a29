-- One report with its agency.
SELECT r.report_id, r.agency_id, a.name, a.level, a.kind, a.province, a.city, a.county,
       r.year, r.template, r.scope, r.published, r.source_path, r.source_sha256, r.source_format,
       r.parser_version, r.dataset, r.is_current, r.loaded_at, r.n_cells, r.n_warnings,
       CAST(r.warnings AS VARCHAR) AS warnings, CAST(r.sections AS VARCHAR) AS sections
FROM reports r JOIN agencies a USING (agency_id)
WHERE r.report_id = $report_id
