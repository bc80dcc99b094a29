-- fields.csv: one row per field; the VALUES list ({rows}) is a run of (?, ?, ?, ?, ?).
INSERT INTO field_labels (tbl, key, template, label, notes) VALUES {rows}
