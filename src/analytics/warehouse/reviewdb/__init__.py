"""The review store: reviewers' decisions on findings, in a small SQLite file beside the warehouse.

A decision used to be a warehouse write, which copies the whole DuckDB file (a second and a
gigabyte at a million reports). Decisions are a few thousand small rows, so they live apart, in
``<warehouse stem>.review.sqlite`` in WAL mode: a step is one short SQLite transaction (writers
queue on SQLite's own lock, readers are never blocked and always see a whole committed step), and
a process killed in the middle leaves the last committed state (SQLite's journal).

DuckDB here cannot read SQLite (that needs a downloaded extension), so readers load the two tables
into Arrow and register them on their connection or cursor under the names the SQL uses,
``finding_decisions`` and ``finding_decision_log``; a registered name shadows any table of the
attached warehouse, in views too. ``version`` (a counter every write moves on) tells a cached
reader when to reload, which costs one indexed SQLite read per query.

What a warehouse write decides about decisions (a finding seen on a newer report version; a
finding that a corrected report no longer has, closed as 已整改) is written to the warehouse's
``review_outbox`` in the warehouse's own transaction and applied here after the warehouse is
published (``sync_outbox``, idempotent: the store keeps the last outbox row it applied). A writer
killed between the two leaves the rows in the outbox, and the next writer of either store applies
them. Each outbox step applies only if the finding still has the status it was computed from, so
a reviewer's step made meanwhile is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from ..sqlfiles import read as _read_sql

PACKAGE = "analytics.warehouse.reviewdb"
BUSY_STEP = 0.2  # seconds SQLite itself waits for the lock before this code looks at the clock again

DECISION_SCHEMA = pa.schema([("fingerprint", pa.string()), ("status", pa.string()), ("note", pa.string()),
                             ("decided_at", pa.timestamp("us")), ("actor", pa.string()),
                             ("finding_agency", pa.string()), ("finding_year", pa.int32()),
                             ("finding_rule", pa.string()), ("seen_report_id", pa.int64())])
LOG_SCHEMA = pa.schema([("log_id", pa.int64()), ("fingerprint", pa.string()), ("from_status", pa.string()),
                        ("to_status", pa.string()), ("actor", pa.string()), ("note", pa.string()),
                        ("at", pa.timestamp("us"))])
CORRECTION_SCHEMA = pa.schema([("queue_id", pa.int64()), ("warehouse_id", pa.string()), ("report_id", pa.int64()),
                               ("agency_id", pa.string()), ("tbl", pa.string()), ("row_key", pa.string()),
                               ("col_key", pa.string()), ("value", pa.float64()), ("reason", pa.string()),
                               ("actor", pa.string()), ("at", pa.timestamp("us"))])


def sql(name: str) -> str:
    return _read_sql(name, PACKAGE)


def store_path(db: str | os.PathLike) -> Path:
    """``w.duckdb`` → ``w.review.sqlite`` in the same folder."""
    p = Path(db)
    return p.with_name(f"{p.stem}.review.sqlite")


def stamp(at: datetime) -> str:
    return at.isoformat(sep=" ", timespec="microseconds")


def _open(db: Path, *, create: bool) -> sqlite3.Connection | None:
    """A connection to the store (None when it does not exist and ``create`` is false)."""
    path = store_path(db)
    if not path.exists():
        if not create:
            return None
        _create_file(db, path)
    con = sqlite3.connect(str(path), timeout=BUSY_STEP, isolation_level=None, check_same_thread=False)
    try:
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            _retry(lambda: con.execute("PRAGMA journal_mode = WAL"), db)
        # NORMAL in WAL mode: a commit survives a killed process (only a power cut can lose the last one).
        con.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        con.close()
        raise
    return con


def _statements(text: str) -> list[str]:
    """The statements of a script (a trigger's body holds semicolons of its own)."""
    out, part = [], ""
    for line in text.splitlines(keepends=True):
        if not part and line.lstrip().startswith("--"):
            continue
        part += line
        if sqlite3.complete_statement(part):
            out.append(part.strip())
            part = ""
    return out


def _ensure_schema(con: sqlite3.Connection) -> None:
    """Create the tables inside the caller's write transaction (so creators never race)."""
    if not _has_schema(con):
        for statement in _statements(sql("schema")):
            con.execute(statement)
    if not _has_corrections(con):  # a store made before corrections were entered here
        for statement in _statements(sql("corrections_schema")):
            con.execute(statement)


def _has_corrections(con: sqlite3.Connection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'queued_corrections'").fetchone()[0])


def _retry(fn, db: Path, timeout: float | None = None):
    """``fn()`` until SQLite stops answering that the store is locked (see ``_begin``)."""
    from ..store import BUSY, retry_while_busy

    def attempt():
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return BUSY

    # SQLite's own busy timeout (BUSY_STEP) is the pause between attempts.
    return retry_while_busy(attempt, f"审核记录 {store_path(db)}", str(db), writer="另一个审核写入",
                            timeout=timeout, pause=False)


def _create_file(db: Path, path: Path) -> None:
    """Create the empty store file, so that a folder that refuses it gives the OS's own reason."""
    from ..store import write_fault

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise (write_fault(exc, db) or exc) from None


_local = threading.local()


def _reader(db: Path) -> sqlite3.Connection | None:
    """This thread's read connection to the store (opened once; None while there is no store)."""
    cache = getattr(_local, "cons", None)
    if cache is None:
        cache = _local.cons = {}
    key = str(Path(db).resolve())
    con = cache.get(key)
    if con is None:
        try:
            con = _open(Path(db), create=False)
        except sqlite3.Error:
            return None
        if con is None:
            return None
        cache[key] = con
    return con


def version(db: str | os.PathLike) -> int:
    """The store's version: moves on with every committed write (0 when there is no store)."""
    con = _reader(Path(db))
    if con is None:
        return 0
    try:
        row = con.execute(sql("version")).fetchone()
    except sqlite3.Error:
        return 0  # schema not there yet: nothing decided
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Snapshot:
    version: int
    decisions: pa.Table
    log: pa.Table
    corrections: pa.Table = field(default_factory=CORRECTION_SCHEMA.empty_table)


_snapshots: dict[str, Snapshot] = {}
_snap_lock = threading.Lock()


def _table(rows: list[tuple], schema: pa.Schema, stamps: tuple[str, ...]) -> pa.Table:
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    arrays = []
    for f, values in zip(schema, columns):
        if f.name in stamps:
            arrays.append(pa.array([datetime.fromisoformat(v) if v else None for v in values], f.type))
        else:
            arrays.append(pa.array(list(values), f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def snapshot(db: str | os.PathLike) -> Snapshot:
    """The decisions and the log as Arrow tables, reloaded only when the version moved on."""
    key = str(Path(db).resolve())
    v = version(db)
    snap = _snapshots.get(key)
    if snap is not None and snap.version == v:
        return snap
    con = _reader(Path(db))
    with _snap_lock:
        if con is None or not _has_schema(con):  # no store yet, or its first write still open
            return Snapshot(0, DECISION_SCHEMA.empty_table(), LOG_SCHEMA.empty_table())
        # One read transaction: the version and both tables come from the same commit.
        con.execute("BEGIN")
        try:
            v = int(con.execute(sql("version")).fetchone()[0])
            decisions = con.execute(sql("decisions_all")).fetchall()
            log = con.execute(sql("log_all")).fetchall()
            corrections = con.execute(sql("corrections_all")).fetchall() if _has_corrections(con) else []
        finally:
            con.execute("COMMIT")
        snap = Snapshot(v, _table(decisions, DECISION_SCHEMA, ("decided_at",)),
                        _table(log, LOG_SCHEMA, ("at",)), _table(corrections, CORRECTION_SCHEMA, ("at",)))
        _snapshots[key] = snap
    return snap


def _has_schema(con: sqlite3.Connection) -> bool:
    return bool(con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0])


def register(con, db: str | os.PathLike, snap: Snapshot | None = None) -> Snapshot:
    """Make ``finding_decisions``, ``finding_decision_log`` and ``queued_corrections`` of the store
    readable on ``con`` (a DuckDB connection or cursor: registrations belong to the one they are
    made on)."""
    snap = snap or snapshot(db)
    con.register("finding_decisions", snap.decisions)
    con.register("finding_decision_log", snap.log)
    con.register("queued_corrections", snap.corrections)
    return snap


# -- writing ------------------------------------------------------------------------------------

def _begin(con: sqlite3.Connection, db: Path, timeout: float | None) -> None:
    """BEGIN IMMEDIATE (the write lock), saying once that it waits and giving up after ``timeout``."""
    _retry(lambda: con.execute("BEGIN IMMEDIATE"), db, timeout)


@contextlib.contextmanager
def writing(db: str | os.PathLike, *, timeout: float | None = None, sync: bool = True, outbox=None):
    """One write transaction of the store: committed (and the version moved on) when the block
    succeeds, rolled back when it raises. Pending outbox rows of the warehouse are applied first
    (``sync``), so the block sees every step a published warehouse write decided; ``outbox`` is
    ``outbox_of`` read by the caller before the lock (otherwise the warehouse is read here)."""
    from ..store import write_fault

    db = Path(db)
    path = store_path(db)
    new = not path.exists()
    con = None
    try:
        con = _open(db, create=True)
        _begin(con, db, timeout)
        try:
            _ensure_schema(con)
            if sync:
                _apply_outbox(con, db, outbox)
            yield con
            con.execute(sql("bump"))
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                con.execute("ROLLBACK")
            raise
    except (OSError, sqlite3.Error) as exc:
        fault = write_fault(exc, db) or _sqlite_fault(exc, db)
        if con is not None:
            con.close()
            con = None
        if new:
            _remove_store(path)  # a store this write created and could not fill: leave nothing
        if fault is None:
            raise
        raise fault from None
    finally:
        if con is not None:
            con.close()


def _sqlite_fault(exc: BaseException, db: Path):
    """SQLite's own words for the faults of the file system."""
    from ...errors import WRITE_FAULTS_ZH
    from ..store import WarehouseWriteError
    import errno

    text = str(exc).lower()
    code = (errno.ENOSPC if "disk is full" in text or "disk i/o" in text and _full(db)
            else errno.EROFS if "readonly" in text or "read-only" in text
            else errno.EACCES if "unable to open" in text else None)
    if code is None:
        return None
    return WarehouseWriteError(f"无法写入数据仓库 {db}：{WRITE_FAULTS_ZH[code]}（{os.strerror(code)}），"
                               "已发布的数据未改动", str(db))


def _full(db: Path) -> bool:
    try:
        st = os.statvfs(db.parent)
    except OSError:
        return False
    return st.f_bavail == 0


def _remove_store(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()


def statuses(con: sqlite3.Connection, fingerprints) -> dict[str, str]:
    """The current status of each fingerprint, read under the write lock ('open' when undecided)."""
    out = {}
    for fp in fingerprints:
        row = con.execute(sql("status_of"), [fp]).fetchone()
        out[fp] = row[0] if row else "open"
    return out


def apply_steps(con: sqlite3.Connection, rows: list[dict], at: datetime) -> None:
    """Log the steps and make them the current decisions (inside ``writing``), in fingerprint order."""
    when = stamp(at)
    for r in sorted(rows, key=lambda r: r["fingerprint"]):
        values = {k: r.get(k) for k in ("fingerprint", "from_status", "to_status", "actor", "note",
                                        "agency_id", "year", "rule", "report_id")} | {"at": when}
        con.execute(sql("log_append"), values)
        con.execute(sql("decision_upsert"), values)


def queue_correction(con: sqlite3.Connection, row: dict) -> int:
    """Enter one correction (inside ``writing``); returns its queue id."""
    values = dict(row)
    values["at"] = stamp(values["at"])
    return int(con.execute(sql("correction_queue"), values).fetchone()[0])


def corrections_after(db: str | os.PathLike, warehouse_id: str, after: int) -> list[dict]:
    """The corrections entered for warehouse ``warehouse_id`` after queue id ``after``, in order
    (a fresh read: a writer must not apply a reader's cached snapshot)."""
    con = _open(Path(db), create=False)
    if con is None:
        return []
    try:
        if not _has_corrections(con):
            return []
        cur = con.execute(sql("corrections_after"), [warehouse_id, int(after)])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()
    for r in rows:
        r["at"] = datetime.fromisoformat(r["at"])
    return rows


# -- what warehouse writes decided --------------------------------------------------------------

OUTBOX_META = "outbox_applied"


def _outbox_rows(db: Path, after: int) -> tuple[str | None, list[tuple]]:
    """(the warehouse's id, its outbox rows after ``after``) read from the published file."""
    import duckdb

    from ..sqlfiles import read

    if not db.exists():
        return None, []
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
        con.execute("USE wh")
        try:
            ident = con.execute(read("review/warehouse_id")).fetchall()
            rows = con.execute(read("review/outbox_since"), [after]).fetchall()
        except duckdb.CatalogException:
            return None, []
        return (ident[0][0] if ident else None), rows
    finally:
        con.close()


def _applied(con: sqlite3.Connection, wh_id: str | None) -> int:
    """The last outbox seq of warehouse ``wh_id`` this store applied (0 for another warehouse)."""
    row = con.execute(sql("meta_get"), [OUTBOX_META]).fetchone()
    if not row or not row[0]:
        return 0
    applied_id, seq = row[0].split(":", 1)
    return int(seq) if applied_id == wh_id else 0


def outbox_of(con) -> tuple[str | None, list[tuple]]:
    """(warehouse id, every outbox row) from a reader's connection or cursor on the warehouse."""
    import duckdb

    from ..sqlfiles import read

    try:
        ident = con.execute(read("review/warehouse_id")).fetchall()
        rows = con.execute(read("review/outbox_since"), [0]).fetchall()
    except duckdb.CatalogException:
        return None, []
    return (ident[0][0] if ident else None), rows


def _apply_outbox(con: sqlite3.Connection, db: Path, outbox=None) -> int:
    """Apply the warehouse's outbox rows this store has not applied yet; returns how many steps."""
    if outbox is None:
        wh_id, _ = _outbox_rows(db, 2**62)
        if wh_id is None:
            return 0
        _, rows = _outbox_rows(db, _applied(con, wh_id))
    else:
        wh_id, rows = outbox
        if wh_id is None:
            return 0
        after = _applied(con, wh_id)
        rows = [r for r in rows if r[0] > after]
    if not rows:
        return 0
    n = 0
    for seq, kind, fp, from_status, to_status, actor, note, agency, year, rule, report_id, at in rows:
        if kind == "follow":
            con.execute(sql("follow"), {"fingerprint": fp, "report_id": report_id})
            continue
        if statuses(con, [fp])[fp] != from_status:
            continue  # a reviewer moved it meanwhile: their step stands
        apply_steps(con, [{"fingerprint": fp, "from_status": from_status, "to_status": to_status,
                           "actor": actor, "note": note, "agency_id": agency, "year": year, "rule": rule,
                           "report_id": report_id}], at)
        n += 1
    con.execute(sql("meta_set"), [OUTBOX_META, f"{wh_id}:{rows[-1][0]}"])
    return n


def pending(db: str | os.PathLike) -> bool:
    """Whether the published warehouse holds outbox rows the store has not applied."""
    db = Path(db)
    wh_id, _ = _outbox_rows(db, 2**62)
    if wh_id is None:
        return False
    con = _reader(db)
    after = 0
    if con is not None:
        with contextlib.suppress(sqlite3.Error):
            after = _applied(con, wh_id)
    return bool(_outbox_rows(db, after)[1])


def sync_outbox(db: str | os.PathLike) -> None:
    """After a warehouse publish: apply its outbox here (nothing is written when none is pending)."""
    if pending(db):
        with writing(db):
            pass  # writing() applies the outbox first


# -- moving decisions out of an older warehouse ---------------------------------------------------

MIGRATED_META = "migrated_from_warehouse"


def migrate(db: Path, con) -> None:
    """Copy the decisions and the log that an older warehouse kept in its own tables into the
    store, once (the store remembers it). ``con`` is a connection to that warehouse; its tables
    are read, never changed, and the registered store tables shadow them from then on."""
    from . import legacy

    if not legacy.has_tables(con):
        return
    with writing(db, sync=False) as sq:
        if sq.execute(sql("meta_get"), [MIGRATED_META]).fetchone():
            return
        legacy.copy(con, sq)
        sq.execute(sql("meta_set"), [MIGRATED_META, "1"])
