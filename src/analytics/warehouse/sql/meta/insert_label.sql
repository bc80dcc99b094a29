-- One fields.csv row.
INSERT INTO field_labels (tbl, key, template, label, notes) VALUES (?, ?, ?, ?, ?)
