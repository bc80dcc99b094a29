-- The cells of the registered Arrow table _new_cells, in one insert.
INSERT INTO cells (report_id, tbl, row_key, col_key, value, kind, raw, src)
SELECT report_id, tbl, row_key, col_key, value, kind, raw, src FROM _new_cells
