"""Where the warehouse file lives and how readers and the one writer share it.

DuckDB lets one process write a file and a read-write connection locks the file against every
other process. So the writer never opens the published file for writing: it copies the file to
``<db>.writing``, works on the copy, checkpoints and closes it, and swaps it in with
``os.replace``. Readers open the published file read-only; one that was open before a swap keeps
reading its own (old, complete) snapshot, and the next ``connect_read`` sees the new file. A
writer killed at any point leaves the published file untouched: the next writer simply starts a
fresh copy. Writers queue on an ``flock`` of ``<db>.lock``, which the kernel releases when a
process dies, so a SIGKILL never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path

import duckdb

from ..errors import ReportError


class WarehouseError(ReportError):
    """The warehouse file cannot be opened (not a DuckDB file, damaged, unreadable)."""

    reason = "warehouse"


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
        raise WarehouseError(f"cannot open the warehouse ({_first_line(exc)})", str(p)) from None
    con.execute("USE wh")
    if _upgrade_if_stale(p, con):
        con.close()
        return connect_read(p)
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
    except (OSError, duckdb.Error):  # e.g. a read-only copy: show what it holds
        return False
    return True


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")


@contextlib.contextmanager
def writer_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def write_session(path: str | os.PathLike | None = None):
    """A read-write connection to a private copy that is published only if the block succeeds."""
    target = Path(path) if path else default_db_path()
    work = Path(f"{target}.writing")
    with writer_lock(target):
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)  # from a writer that was killed
        if target.exists():
            shutil.copyfile(target, work)
        try:
            con = duckdb.connect(str(work))
        except duckdb.Error as exc:
            work.unlink(missing_ok=True)
            raise WarehouseError(f"cannot open the warehouse ({_first_line(exc)})", str(target)) from None
        # The machine is shared with readers and other work: bound the writer, let it spill.
        con.execute("SET memory_limit = ?", [os.environ.get("ANALYTICS_DB_MEMORY", "4GB")])
        try:
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)
            raise
        con.close()
        with open(work, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(work, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
