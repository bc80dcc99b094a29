-- fields.csv is reloaded whole.
DELETE FROM field_labels
