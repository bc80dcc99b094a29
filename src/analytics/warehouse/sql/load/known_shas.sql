-- Which of these content hashes (a list parameter) are already loaded.
SELECT DISTINCT source_sha256 FROM reports WHERE source_sha256 IN (SELECT unnest(?))
