-- The new report versions of the registered frame _new_reports.
INSERT INTO reports (report_id, agency_id, year, template, scope, published, source_path, source_sha256,
                     source_format, parser_version, dataset, is_current, batch_id, loaded_at, n_cells,
                     n_warnings, warnings, sections, text_sha256)
SELECT report_id, agency_id, year, template, scope, published, source_path, source_sha256,
       source_format, parser_version, dataset, is_current, batch_id, loaded_at, n_cells,
       n_warnings, CAST(warnings AS JSON), CAST(sections AS JSON), text_sha256
FROM _new_reports
