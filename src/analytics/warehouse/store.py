"""Where the warehouse file lives and how readers and the one writer share it.

DuckDB lets one process write a file and a read-write connection locks the file against every
other process. So the writer never opens the published file for writing: it copies the file to
``<db>.writing``, works on the copy, checkpoints and closes it, and swaps it in with
``os.replace``. Readers open the published file read-only; one that was open before a swap keeps
reading its own (old, complete) snapshot, and the next ``connect_read`` sees the new file. A
writer killed at any point leaves the published file untouched: the next writer simply starts a
fresh copy (removing what the killed one left, once it holds the lock). Writers queue on an
``flock`` of ``<db>.lock``, which the kernel releases when a process dies, so a SIGKILL never
leaves a stale lock; one that waits says so after half a second and gives up after
``$ANALYTICS_WRITE_TIMEOUT`` seconds. A write the file system refuses (a full disk, a read-only
folder) becomes one ``WarehouseWriteError`` naming the warehouse and the reason.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from ..errors import ReportError, StorageFault, write_fault_zh

WAIT_NOTICE_AFTER = 0.5  # seconds without the lock before a writer says that it waits
DEFAULT_WRITE_TIMEOUT = 600.0


class WarehouseError(ReportError):
    """The warehouse file cannot be opened (not a DuckDB file, damaged, unreadable)."""

    reason = "warehouse"


class WarehouseWriteError(StorageFault):
    """The file system refused a write to the warehouse; the published file is unchanged."""

    reason = "warehouse_write"
    label_zh = "无法写入数据仓库"


class WarehouseBusy(WarehouseError):
    """Another writer held the lock for longer than this writer was willing to wait."""

    reason = "warehouse_busy"
    label_zh = "数据仓库正被另一个写入任务占用"

    def __str__(self) -> str:
        return self.message


def project_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def default_db_path() -> Path:
    """``$ANALYTICS_DB`` when set, else ``var/warehouse.duckdb`` under the project root."""
    env = os.environ.get("ANALYTICS_DB")
    return Path(env) if env else project_root() / "var" / "warehouse.duckdb"


def snapshot_token(path: str | os.PathLike | None = None) -> tuple[int, int] | None:
    """Changes whenever a writer publishes: compare it to decide whether to reopen a reader."""
    p = Path(path) if path else default_db_path()
    try:
        st = p.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def connect_read(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the newest published snapshot.

    The file is attached to a fresh in-memory database rather than opened with
    ``duckdb.connect(path)``, because DuckDB hands back an already open instance for the same
    path, which would keep showing the snapshot that was current when it was first opened.
    A missing warehouse is created empty first, so a dashboard can start before any ingest.
    """
    p = Path(path) if path else default_db_path()
    if not p.exists():
        from .schema import ensure_schema

        with write_session(p) as con:
            ensure_schema(con)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_quote(p)}' AS wh (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"无法打开数据仓库（{_first_line(exc)}）", str(p)) from None
    con.execute("USE wh")
    if _upgrade_if_stale(p, con):
        con.close()
        return connect_read(p)
    from . import reviewdb

    reviewdb.register(con, p)  # decisions and their log, from the review store beside the file
    return con


def _upgrade_if_stale(p: Path, con) -> bool:
    """Bring a warehouse built by an older version of the code up to date (new report_wide
    columns, the summary tables the pages read) before it is read; True when it was upgraded.
    A file without our version record is left alone: it is either foreign or still empty."""
    from .schema import schema_version

    try:
        # fetchall, not fetchone: an unfinished result would block the reader's next query
        rows = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema'").fetchall()
    except duckdb.Error:
        return False
    if not rows or rows[0][0] == schema_version():
        return False
    from .schema import ensure_schema

    try:
        with write_session(p) as w:
            ensure_schema(w)
    except (OSError, duckdb.Error, WarehouseError, WarehouseWriteError):
        return False  # e.g. a read-only copy, or another writer too long: show what it holds
    return True


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")


def write_timeout() -> float:
    """Seconds a writer waits for the lock before giving up (``$ANALYTICS_WRITE_TIMEOUT``)."""
    try:
        return max(0.0, float(os.environ.get("ANALYTICS_WRITE_TIMEOUT", DEFAULT_WRITE_TIMEOUT)))
    except ValueError:
        return DEFAULT_WRITE_TIMEOUT


def _tell_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_wait_notice: contextvars.ContextVar = contextvars.ContextVar("write_wait_notice", default=_tell_stderr)


@contextlib.contextmanager
def wait_notice(tell):
    """Within the block, ``tell(message)`` is how a writer says that it waits for the lock
    (a line on stderr otherwise); the app shows it on the page."""
    token = _wait_notice.set(tell)
    try:
        yield
    finally:
        _wait_notice.reset(token)


def write_fault(exc: BaseException, target: Path) -> WarehouseWriteError | None:
    """The one-line error for a write that the file system refused, or None for anything else.

    The causes are searched too: a failed write can be masked by what failed after it (a
    ROLLBACK on a connection the failed write has invalidated).
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        found = _own_fault(exc, target)
        if found:
            reason, detail = found
            return WarehouseWriteError(f"无法写入数据仓库 {target}：{reason}（{detail}），已发布的数据未改动",
                                       str(target))
        exc = exc.__cause__ or exc.__context__
    return None


def _own_fault(exc: BaseException, target: Path) -> tuple[str, str] | None:
    if isinstance(exc, OSError) and exc.filename and not _beside(Path(os.fsdecode(exc.filename)), target):
        return None  # some other file: not the warehouse's fault, and the traceback says which
    # DuckDB's IO errors are matched by the C library's reason they quote: the same class also
    # says "not a valid DuckDB database file", which is a damaged warehouse, not a refused write.
    return write_fault_zh(exc)


def _beside(p: Path, target: Path) -> bool:
    return os.path.dirname(os.path.abspath(p)) == os.path.dirname(os.path.abspath(target))


BUSY = object()  # what an attempt of ``retry_while_busy`` returns while another writer holds the lock


def retry_while_busy(attempt, place: str, key: str, *, writer: str = "另一个写入任务",
                     timeout: float | None = None, pause: bool = True):
    """``attempt()`` until it returns something other than ``BUSY``; says once that it waits
    (after WAIT_NOTICE_AFTER) and gives up after ``timeout`` seconds with ``WarehouseBusy``
    naming ``place`` (e.g. 数据仓库 <file>) as untouched. ``pause``: sleep between attempts
    (off when the attempt waits itself, as SQLite's busy timeout does)."""
    limit = write_timeout() if timeout is None else timeout
    start = time.monotonic()
    told, step = False, 0.01
    while True:
        got = attempt()
        if got is not BUSY:
            return got
        waited = time.monotonic() - start
        if waited >= limit:
            raise WarehouseBusy(f"{writer}仍在进行，已等待 {limit:g} 秒，本次写入已放弃"
                                f"（{place} 未改动；可稍后重试，"
                                "或用 ANALYTICS_WRITE_TIMEOUT 设置更长的等待秒数）", key)
        if not told and waited >= WAIT_NOTICE_AFTER:
            told = True
            _wait_notice.get()(f"等待另一个写入任务完成（{place} 正在被写入，最多等待 {limit:g} 秒）…")
        if pause:
            time.sleep(min(step, max(0.0, limit - waited)))
            step = min(step * 2, 0.2)


def _acquire(fh, target: Path, timeout: float | None) -> None:
    """Take the writer lock, saying once that it waits, and giving up after ``timeout`` seconds."""
    def attempt():
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return None
        except BlockingIOError:
            return BUSY

    retry_while_busy(attempt, f"数据仓库 {target}", str(target), timeout=timeout)


@contextlib.contextmanager
def writer_lock(path: Path, timeout: float | None = None):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(f"{path}.lock", "a+")
    except OSError as exc:
        raise (write_fault(exc, path) or exc) from None
    with fh:
        _acquire(fh, path, timeout)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _scratch(work: Path) -> list[Path]:
    """Every file a write session may leave beside the published warehouse."""
    return [work, Path(f"{work}.wal"), Path(f"{work}.tmp")]


def _remove_scratch(work: Path) -> None:
    for p in _scratch(work):
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only folder holds no scratch of ours either


@contextlib.contextmanager
def write_session(path: str | os.PathLike | None = None, *, timeout: float | None = None):
    """A read-write connection to a private copy that is published only if the block succeeds.

    A write the file system refuses (full disk, read-only folder, no permission) raises
    ``WarehouseWriteError``; waiting longer than ``timeout`` seconds (default
    ``write_timeout()``) for another writer raises ``WarehouseBusy``. Either way the published
    file is untouched and the copy is removed.
    """
    target = Path(path) if path else default_db_path()
    work = Path(f"{target}.writing")
    with writer_lock(target, timeout):
        _remove_scratch(work)  # from a writer that was killed
        con = None
        published = queued = False
        try:
            if target.exists():
                shutil.copyfile(target, work)
            try:
                con = duckdb.connect(str(work))
            except duckdb.Error as exc:
                if write_fault(exc, target):
                    raise
                raise WarehouseError(f"无法打开数据仓库（{_first_line(exc)}）", str(target)) from None
            # Spill next to the copy, where the cleanup below finds it.
            con.execute("SET temp_directory = ?", [f"{work}.tmp"])
            # The machine is shared with readers and other work: bound the writer, let it spill.
            con.execute("SET memory_limit = ?", [os.environ.get("ANALYTICS_DB_MEMORY", "4GB")])
            from . import reviewdb

            reviewdb.migrate(target, con)  # an older warehouse's own decisions, once
            _TARGETS[id(con)] = target
            try:
                yield con
                from .corrections import apply_queued

                # Corrections entered in the review store since the last write go in with this one.
                apply_queued(con, target)
            finally:
                _TARGETS.pop(id(con), None)
                queued = _QUEUED.pop(id(con), False)
            con.execute("CHECKPOINT")
            con.close()
            con = None
            with open(work, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(work, target)
            published = True
        except (OSError, duckdb.Error) as exc:
            fault = write_fault(exc, target)
            if fault is None:
                raise
            raise fault from None
        finally:
            if con is not None:
                with contextlib.suppress(duckdb.Error):
                    con.close()
            _remove_scratch(work)
        # Published already: a folder that cannot be synced must not turn success into an error.
        with contextlib.suppress(OSError):
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        if published and queued:
            _sync_review(target)


_TARGETS: dict[int, Path] = {}
_QUEUED: dict[int, bool] = {}


def queued_review_steps(con) -> None:
    """This write session put rows in review_outbox: the store is told right after the publish.
    (Rows a killed writer left are applied by the next write of the review store.)"""
    _QUEUED[id(con)] = True


def session_target(con) -> Path | None:
    """The published warehouse a write session's connection will replace."""
    return _TARGETS.get(id(con))


def _sync_review(target: Path) -> None:
    """What the write decided about decisions goes to the review store now; if that cannot be
    done (its folder refuses, a reviewer holds it too long) the outbox keeps it for the next writer."""
    import sqlite3

    from . import reviewdb

    try:
        reviewdb.sync_outbox(target)
    except (ReportError, OSError, duckdb.Error, sqlite3.Error) as exc:
        _tell_stderr(f"审核记录暂未同步（{_first_line(exc)}），将在下次写入时补上")
