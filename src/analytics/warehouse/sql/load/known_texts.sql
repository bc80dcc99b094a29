-- The first loaded report of each of these text hashes (a list parameter): its file names it.
SELECT text_sha256, arg_min(source_path, report_id), arg_min(agency_id, report_id), arg_min(year, report_id)
FROM reports
WHERE text_sha256 IN (SELECT unnest(?))
GROUP BY text_sha256
