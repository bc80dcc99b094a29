"""A region scope over the warehouse: every relation the dashboard can name, seen through a view
that keeps only the rows of agencies in the scope.

For each scope a reader attaches an in-memory database holding one view per table and view of the
warehouse, under the same name, and a scoped cursor searches that database first
(``SET search_path``). The dashboard's SQL files and the warehouse's macros (``agency_window``,
``year_rows``, ``whole_warehouse``, which bind their tables where they are called) then read the
views without knowing it, and a query added later is scoped without any change here. How a
relation is filtered follows from its columns, and a relation with none of them is empty unless
it is listed in ``UNSCOPED``, so a new table is hidden until someone says it holds no agency's data:

- place columns (province, city, county: agencies, report_wide, agency_year, region_year,
  findings_placed …): the scope's place, part by part;
- agency_id (reports, findings, agency_metric): an agency of the scope;
- report_id (cells, ingest_log, report_textsig): a report of such an agency;
- fingerprint (review_outbox): a finding of such an agency; the review store's decisions and
  log and its entered corrections are not warehouse relations: the reader registers only the
  scope's (``decisions_of``);
- none (peer_stats, peer_ecdf, metric_ecdf, warehouse_span: statistics of the whole warehouse):
  empty, so ``whole_warehouse`` answers false and every comparison is counted over the scope.

The scope's place is a one-row table filled with bound parameters; the views read it.
"""

from __future__ import annotations

import hashlib

from ..accounts import Region

# Relations that hold no agency's data (labels, the metric registry, the file's own facts).
UNSCOPED = frozenset({"field_labels", "metric_defs", "warehouse_meta"})
PLACE = ("province", "city", "county")

_PLACE_FILTER = " AND ".join(
    f"t.{c} IS NOT DISTINCT FROM coalesce((SELECT {c} FROM {{db}}.main.scope_place), t.{c})" for c in PLACE)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def catalog_name(region: Region) -> str:
    return "scope_" + hashlib.sha256(region.key().encode()).hexdigest()[:16]


def relations(con, source: str) -> dict[str, list[str]]:
    """Every table and view of the attached database ``source`` with its columns."""
    rows = con.execute(
        "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
        "WHERE database_name = $db AND schema_name = 'main' GROUP BY table_name", {"db": source}).fetchall()
    return {name: cols for name, cols in rows}


def _predicate(name: str, cols: list[str], db: str, src: str) -> str:
    if name in UNSCOPED:
        return "true"
    agencies = f"(SELECT agency_id FROM {db}.main.scope_agencies)"
    if all(c in cols for c in PLACE):
        return _PLACE_FILTER.format(db=db)
    if "agency_id" in cols:
        return f"t.agency_id IN {agencies}"
    if "finding_agency" in cols:
        return f"t.finding_agency IN {agencies}"
    if "report_id" in cols:
        return f"t.report_id IN (SELECT report_id FROM {src}.main.reports WHERE agency_id IN {agencies})"
    if "fingerprint" in cols:
        return f"t.fingerprint IN (SELECT fingerprint FROM {src}.main.findings WHERE agency_id IN {agencies})"
    return "false"


def decisions_of(snap, agencies: frozenset[str]):
    """The review store's snapshot cut to the decisions on findings of ``agencies``, and the log
    steps of those findings (every logged finding has a decision row: its last step)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..warehouse.reviewdb import Snapshot

    keep = pc.is_in(snap.decisions["finding_agency"], value_set=pa.array(sorted(agencies), pa.string()))
    decisions = snap.decisions.filter(pc.fill_null(keep, False))
    logged = pc.is_in(snap.log["fingerprint"], value_set=decisions["fingerprint"].combine_chunks())
    mine = pc.is_in(snap.corrections["agency_id"], value_set=pa.array(sorted(agencies), pa.string()))
    return Snapshot(snap.version, decisions, snap.log.filter(pc.fill_null(logged, False)),
                    snap.corrections.filter(pc.fill_null(mine, False)))


def create(con, source: str, region: Region) -> str:
    """Attach the scope's database to ``con`` (views over the database ``source``); its name."""
    db = catalog_name(region)
    con.execute(f"ATTACH ':memory:' AS {db}")
    con.execute(f"CREATE TABLE {db}.main.scope_place (province VARCHAR, city VARCHAR, county VARCHAR)")
    con.execute(f"INSERT INTO {db}.main.scope_place VALUES ($province, $city, $county)",
                {"province": region.province, "city": region.city, "county": region.county})
    src = _ident(source)
    con.execute(f"CREATE VIEW {db}.main.scope_agencies AS SELECT agency_id FROM {src}.main.agencies t "
                f"WHERE {_PLACE_FILTER.format(db=db)}")
    for name, cols in relations(con, source).items():
        con.execute(f"CREATE VIEW {db}.main.{_ident(name)} AS SELECT * FROM {src}.main.{_ident(name)} t "
                    f"WHERE {_predicate(name, cols, db, src)}")
    return db


def enter(cur, db: str, source: str) -> None:
    """Make ``cur`` read through the scope's views (the warehouse's macros stay reachable)."""
    cur.execute(f"USE {db}")
    cur.execute(f"SET search_path = '{db}.main,{source}.main'")
