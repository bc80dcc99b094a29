-- An ingest batch number.
SELECT nextval('batch_seq')
