-- A decided finding now lives on a newer version of its report (not a step: no log row).
UPDATE finding_decisions SET seen_report_id = :report_id WHERE fingerprint = :fingerprint
