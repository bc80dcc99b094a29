-- The warehouse: agencies, reports (every version), cells in long form, findings, decisions, log.
-- Wide tables and metric views are built from these by the other .sql files of this folder.

CREATE SEQUENCE IF NOT EXISTS report_seq START 1;
CREATE SEQUENCE IF NOT EXISTS batch_seq START 1;

CREATE TABLE IF NOT EXISTS agencies (
    agency_id     VARCHAR PRIMARY KEY,   -- normalised agency name (NFKC, no white space)
    name          VARCHAR NOT NULL,      -- as the report or the manifest writes it
    level         VARCHAR,               -- national | province | city | county | township
    kind          VARCHAR,               -- government | office | department | zone | township
    province      VARCHAR,
    city          VARCHAR,
    county        VARCHAR,
    parent_id     VARCHAR,               -- agency_id of the government one level up, when known
    division_code VARCHAR,               -- GB/T 2260 code of the place, when known
    dataset       VARCHAR NOT NULL,      -- real | demo | synth
    parent_code   VARCHAR,               -- division code of the government parent_id is looked up by
    info_source   VARCHAR                -- manifest | given | name: where level/kind/place came from
);

CREATE TABLE IF NOT EXISTS reports (
    report_id      BIGINT PRIMARY KEY,
    agency_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    template       VARCHAR,              -- "2019" | "2021"
    scope          VARCHAR,              -- jurisdiction | office | agency | NULL
    published      DATE,
    source_path    VARCHAR,
    source_sha256  VARCHAR NOT NULL,
    source_format  VARCHAR,
    parser_version VARCHAR,
    dataset        VARCHAR NOT NULL,     -- real | demo | synth
    is_current     BOOLEAN NOT NULL,     -- the version in force for (agency_id, year): load/choose_current
    batch_id       BIGINT,
    loaded_at      TIMESTAMP,
    n_cells        INTEGER,
    n_warnings     INTEGER,
    warnings       JSON,
    sections       JSON,
    text_sha256    VARCHAR               -- the document's text without white space (the same report in another file)
);

-- Warehouses written before the text hash get the column (empty for what they hold: those
-- reports are still recognised by their file hash).
ALTER TABLE reports ADD COLUMN IF NOT EXISTS text_sha256 VARCHAR;

-- A MinHash signature of each report's prose, for DUPLICATE_TEXT (bands give candidate pairs).
CREATE TABLE IF NOT EXISTS report_textsig (
    report_id BIGINT NOT NULL,
    sig       UBIGINT[] NOT NULL,
    bands     UBIGINT[] NOT NULL
);

-- The bands of every current report, one row each (bi = the band's position): DUPLICATE_TEXT
-- looks for pairs in it, and a check widens its scope to the agencies sharing a band.
CREATE OR REPLACE VIEW current_bands AS
SELECT t.report_id, r.agency_id, r.year, unnest(t.bands) AS band, generate_subscripts(t.bands, 1) AS bi
FROM report_textsig t JOIN reports r ON r.report_id = t.report_id
WHERE r.is_current;

-- Facts about the warehouse file itself (the hash of the definitions it was built with).
CREATE TABLE IF NOT EXISTS warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
-- The file's own id (see review_outbox), made once.
INSERT INTO warehouse_meta SELECT 'warehouse_id', CAST(uuid() AS VARCHAR)
WHERE NOT EXISTS (SELECT 1 FROM warehouse_meta WHERE key = 'warehouse_id');

-- fields.csv inside the warehouse: labels for messages and the data dictionary.
CREATE TABLE IF NOT EXISTS field_labels (
    tbl      VARCHAR NOT NULL,           -- applications_row | applications_col | review_group | review_col | active
    key      VARCHAR NOT NULL,
    template VARCHAR NOT NULL,
    label    VARCHAR NOT NULL,
    notes    VARCHAR
);

-- Numbers in Chinese messages: 21 rather than 21.0, decimals kept.
CREATE MACRO IF NOT EXISTS fmt_num(x) AS
    CASE WHEN x IS NULL THEN '空' WHEN x = round(x) THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
         ELSE CAST(round(x, 4) AS VARCHAR) END;

CREATE TABLE IF NOT EXISTS cells (
    report_id BIGINT NOT NULL,
    tbl       VARCHAR NOT NULL,          -- active_disclosure | applications | review_litigation (the record's keys)
    row_key   VARCHAR NOT NULL,          -- fields.csv key (active key, applications row, review group)
    col_key   VARCHAR NOT NULL,          -- applications column, review column, or 'value' for active
    value     DOUBLE,                    -- NULL when blank / not applicable / unreadable text
    kind      VARCHAR NOT NULL,          -- number | blank | not_applicable | text
    raw       VARCHAR,
    src       VARCHAR                    -- the cell's "where" in the source document
);

CREATE TABLE IF NOT EXISTS findings (
    fingerprint VARCHAR NOT NULL,        -- stable across re-ingest: rule|agency|year|subject
    rule        VARCHAR NOT NULL,        -- code from rules.md
    severity    VARCHAR NOT NULL,        -- error | warning | not_assessable
    scope       VARCHAR NOT NULL,        -- report | cross_year | cross_agency
    report_id   BIGINT,
    agency_id   VARCHAR,
    year        INTEGER,
    subject     VARCHAR,                 -- e.g. "total" column, "review" group, "normative_in_force"
    message     VARCHAR NOT NULL,        -- Chinese, with the numbers involved
    expected    DOUBLE,
    actual      DOUBLE
);

-- Reviewers' decisions and their log live in the review store beside the warehouse
-- (warehouse/reviewdb, SQLite), so that a decision never copies this file. What a refresh decides
-- about them (a finding followed onto a newer version, one closed by a corrected report) is
-- queued here in the refresh's own transaction and applied to the store once this file is
-- published; the store remembers the last seq it applied for this warehouse_id.
CREATE SEQUENCE IF NOT EXISTS review_outbox_seq START 1;
CREATE TABLE IF NOT EXISTS review_outbox (
    seq         BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL,        -- follow (seen on report_id now) | step (from → to)
    fingerprint VARCHAR NOT NULL,
    from_status VARCHAR,
    to_status   VARCHAR,
    actor       VARCHAR,
    note        VARCHAR,
    agency_id   VARCHAR,
    year        INTEGER,
    rule        VARCHAR,
    report_id   BIGINT,
    "at"        TIMESTAMP NOT NULL
);

-- A reviewer's correction of one cell: the value to use instead of the parsed one, who and why.
-- Applied to cells.value by the same write (so every metric, rule and export uses it); the parsed
-- value, kind and text stay here (and cells.raw keeps the printed text). Rows are only appended:
-- a second correction of the same cell is a new row, and the last one is in force.
CREATE SEQUENCE IF NOT EXISTS cell_correction_seq START 1;
CREATE TABLE IF NOT EXISTS cell_corrections (
    correction_id  BIGINT PRIMARY KEY,
    report_id      BIGINT NOT NULL,
    tbl            VARCHAR NOT NULL,
    row_key        VARCHAR NOT NULL,
    col_key        VARCHAR NOT NULL,
    parsed_value   DOUBLE,                -- as the parser read it (NULL: blank or unreadable)
    parsed_kind    VARCHAR,               -- number | blank | not_applicable | text | NULL (no cell)
    previous_value DOUBLE,                -- in force just before this correction
    value          DOUBLE NOT NULL,
    reason         VARCHAR NOT NULL,
    actor          VARCHAR NOT NULL,
    "at"           TIMESTAMP NOT NULL
);
-- The review store's queue id of a correction entered there (NULL for one written before): the
-- highest one applied tells the next write where the queue resumes.
ALTER TABLE cell_corrections ADD COLUMN IF NOT EXISTS queue_id BIGINT;

-- A warehouse written when cells.tbl said 'active' and 'review' gets the record's table names,
-- and so do the findings that name a cell (NEGATIVE, NOT_INTEGER: subject tbl:row:col) and the
-- decisions on them, which are keyed by the finding's fingerprint rule|agency|year|subject.
UPDATE cells SET tbl = CASE tbl WHEN 'active' THEN 'active_disclosure' ELSE 'review_litigation' END
WHERE tbl IN ('active', 'review');
UPDATE findings SET subject = regexp_replace(subject, '^active:', 'active_disclosure:'),
                    fingerprint = regexp_replace(fingerprint, '\|active:([^|]*)$', '|active_disclosure:\1')
WHERE rule IN ('NEGATIVE', 'NOT_INTEGER') AND subject LIKE 'active:%';
UPDATE findings SET subject = regexp_replace(subject, '^review:', 'review_litigation:'),
                    fingerprint = regexp_replace(fingerprint, '\|review:([^|]*)$', '|review_litigation:\1')
WHERE rule IN ('NEGATIVE', 'NOT_INTEGER') AND subject LIKE 'review:%';

CREATE TABLE IF NOT EXISTS ingest_log (
    batch_id  BIGINT NOT NULL,
    path      VARCHAR NOT NULL,
    sha256    VARCHAR,
    status    VARCHAR NOT NULL,          -- loaded | loaded_with_warnings | duplicate | refused
    reason    VARCHAR,                   -- refusal reason (one line) or warning count
    report_id BIGINT,
    logged_at TIMESTAMP NOT NULL
);

-- The metric registry (src/analytics/spec/metrics.toml), refilled whenever it changes.
CREATE TABLE IF NOT EXISTS metric_defs (
    key VARCHAR PRIMARY KEY,
    position INTEGER,
    label VARCHAR,
    kind VARCHAR,
    unit VARCHAR,
    polarity VARCHAR,
    is_ratio BOOLEAN,
    template VARCHAR,
    template_sensitive BOOLEAN,
    numerator VARCHAR,
    denominator VARCHAR,
    formula VARCHAR,
    base VARCHAR,
    flag_yellow DOUBLE,
    flag_red DOUBLE
);
