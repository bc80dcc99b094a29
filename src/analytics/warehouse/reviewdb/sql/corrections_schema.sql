-- Reviewers' cell corrections as they are entered: one short SQLite write, seen by every reader at
-- once. The warehouse applies them in its next write (cell value, report_wide, rules, summaries)
-- and records each one's queue_id in its cell_corrections, so a row is applied exactly once and a
-- reader knows which rows are still waiting. Rows are never changed or removed.
CREATE TABLE IF NOT EXISTS queued_corrections (
    queue_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    warehouse_id TEXT NOT NULL,           -- the warehouse file whose report ids these are
    report_id    INTEGER NOT NULL,
    agency_id    TEXT NOT NULL,
    tbl          TEXT NOT NULL,
    row_key      TEXT NOT NULL,
    col_key      TEXT NOT NULL,
    value        REAL NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    "at"         TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS queued_corrections_append_only_u BEFORE UPDATE ON queued_corrections
BEGIN SELECT RAISE(ABORT, 'queued_corrections is append-only'); END;
CREATE TRIGGER IF NOT EXISTS queued_corrections_append_only_d BEFORE DELETE ON queued_corrections
BEGIN SELECT RAISE(ABORT, 'queued_corrections is append-only'); END;
