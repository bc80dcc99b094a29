-- Log one correction (never updated).
INSERT INTO cell_corrections (correction_id, report_id, tbl, row_key, col_key, parsed_value, parsed_kind,
                              previous_value, value, reason, actor, "at", queue_id)
VALUES (nextval('cell_correction_seq'), $report_id, $tbl, $row_key, $col_key, $parsed_value, $parsed_kind,
        $previous_value, $value, $reason, $actor, $at, $queue_id)
RETURNING correction_id
