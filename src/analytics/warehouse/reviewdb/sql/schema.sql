-- The review store (SQLite, WAL): the current decision on each finding and the log of every step.
-- It sits beside the warehouse so that a reviewer's step never copies the warehouse file.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
-- The current decision on a finding: the last step of its log, written in the same transaction.
CREATE TABLE IF NOT EXISTS finding_decisions (
    fingerprint    TEXT PRIMARY KEY,
    status         TEXT NOT NULL,         -- confirmed | dismissed | notified | rectified | verified | returned
    note           TEXT,
    decided_at     TEXT NOT NULL,         -- ISO 8601, local time as the warehouse had it
    actor          TEXT,
    finding_agency TEXT,
    finding_year   INTEGER,
    finding_rule   TEXT,
    seen_report_id INTEGER
);
-- Every step of every decision, in order. Rows are only ever appended; the triggers refuse the rest.
CREATE TABLE IF NOT EXISTS finding_decision_log (
    log_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT,
    "at"        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS log_is_append_only_u BEFORE UPDATE ON finding_decision_log
BEGIN SELECT RAISE(ABORT, 'finding_decision_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS log_is_append_only_d BEFORE DELETE ON finding_decision_log
BEGIN SELECT RAISE(ABORT, 'finding_decision_log is append-only'); END;
INSERT OR IGNORE INTO meta VALUES ('version', '0');
