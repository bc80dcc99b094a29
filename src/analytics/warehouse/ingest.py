"""Ingesting files: find them, parse them (optionally in several processes), load them as one
published batch, and log every file's fate.

Parsing is the slow part and runs in worker processes; loading stays in this process, the one
writer. Nothing is visible to readers until the whole batch is published (see store.py), so a
batch killed half-way leaves the previous warehouse intact and the same command can simply run
again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import ReportError
from ..parsing.formats import FORMATS, accepted_suffixes, by_suffix
from .. import manifest as manifest_mod
from .paths import Scope
from .sqlfiles import read

# The loading side (pandas, DuckDB) is imported inside ingest(): parse workers import this
# module too, and they need only the parser and records.py. records.py (numpy, pyarrow) is
# imported where it is used, so that the fork server starts before this process imports it.

REPORT_SUFFIXES = frozenset(accepted_suffixes())  # what folders are searched for
LOAD_CHUNK = 500  # reports per loading transaction: bounded memory, few fixed costs
# With parse workers, smaller chunks: each is loaded while the workers parse the next ones, so
# only the last is left to load when parsing ends (a chunk costs ~30 ms beyond its rows).
OVERLAP_CHUNK = 100


@dataclass
class FileResult:
    path: str
    status: str  # loaded | loaded_with_warnings | duplicate | refused
    reason: str | None = None
    report_id: int | None = None
    sha256: str | None = None


@dataclass
class Summary:
    results: list[FileResult] = field(default_factory=list)
    batch_id: int | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def refused(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "refused"]


def collect(paths) -> list[Path]:
    """Files named directly, and report-like files found recursively in folders, in a stable order."""
    out, seen = [], set()
    for raw in paths:
        p = Path(raw)
        found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES) \
            if p.is_dir() else [p]
        for f in found:
            key = str(f.resolve())
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _sha(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def parse_one(path: str):
    """``(path, Report, None)`` or ``(path, None, one-line reason)``; never raises."""
    from ..parsing import read_report

    try:
        return path, read_report(path), None
    except ReportError as exc:
        return path, None, _one_line(exc.message)
    except Exception as exc:  # a parser bug must not stop the batch; the log names it
        return path, None, _one_line(f"parser failure ({type(exc).__name__}: {exc})")


def prepare_one(task: tuple):
    """Worker: parse one file and reduce it to the rows it adds.

    ``task`` is ``(path, sha256, manifest row or None, dataset)``; the answer is
    ``(path, Prepared, None)`` or ``(path, None, one-line reason)``. Doing the record-to-rows
    work here keeps the loading process (the one writer) to inserts, and the rows pickle far
    smaller than the report with its per-cell provenance.
    """
    from .records import prepare  # preloaded in the fork server

    path, sha, row, dataset = task
    path, report, reason = parse_one(path)
    if report is None:
        return path, None, reason
    # The hash the batch was planned with names the file, even if it changed since.
    report, given = manifest_mod.apply(report.with_source(sha256=sha), row)
    try:
        return path, prepare(report, dataset=dataset, given=given, info_source="manifest"), None
    except ReportError as exc:
        return path, None, _one_line(exc.message)
    except Exception as exc:
        return path, None, _one_line(f"loader failure ({type(exc).__name__}: {exc})")


def _watch_parent(ingest_pid: int) -> None:
    """Worker initialiser: exit when the ingest process is gone (a SIGKILL leaves no orphans).

    Under the forkserver the worker's parent is the server, not the ingest process, so this
    watches both: the ingest process by its pid, and the parent for a change (the server gone).
    """
    import os
    import threading
    import time

    parent = os.getppid()

    def alive() -> bool:
        try:
            os.kill(ingest_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return os.getppid() == parent and _state(ingest_pid) not in ("Z", "X")

    def watch():
        while alive():
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _state(pid: int) -> str:
    """The process state letter from /proc (Z for a killed process its parent has not reaped)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0].decode()
    except (OSError, IndexError):
        return "X"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


# What a worker needs, imported once in the fork server instead of once per worker, and then
# the backends of the batch's file types. The PDF backend is left out: PyMuPDF costs more to
# import than a batch of text or HTML to parse. A worker imports whatever else it meets itself.
PRELOAD = ["analytics.warehouse.ingest", "analytics.warehouse.records", "analytics.parsing", "analytics.parsing.assemble",
           "analytics.warehouse.parse_warm"]
PRELOADED_BACKENDS = tuple(dict.fromkeys(f.backend for f in FORMATS.values() if f.preload))


def _preload(files: list[Path]) -> list[str]:
    named = [by_suffix(f.name) for f in files]
    if any(fmt is None for fmt in named):  # a name that does not say its format: any backend may be needed
        wanted = set(PRELOADED_BACKENDS)
    else:
        wanted = {fmt.backend for fmt in named if fmt.preload}
    return [b for b in PRELOADED_BACKENDS if b in wanted] + PRELOAD


def _start_server(workers: int, files: list[Path]):
    """The ``forkserver`` context, its server started now so that it imports the parser while
    this process hashes the files and opens the warehouse; None when parsing stays in-process.

    The server forks each worker from a clean process that has imported the parser: no
    re-import per worker (as with ``spawn``), and no fork of this process, which may hold DuckDB
    connections and their threads (a reader in the app, an earlier session). A server already
    running in this process is reused with what it imported.
    """
    if workers <= 1 or len(files) < 2:
        return None
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_preload(files))
    forkserver.ensure_running()
    return ctx


def _pool(ctx, workers: int, n_tasks: int):
    if ctx is None or n_tasks < 2:
        return None
    return ProcessPoolExecutor(max_workers=min(workers, n_tasks), mp_context=ctx, initializer=_watch_parent,
                               initargs=(os.getpid(),))


class _Queued:
    """The workers' answers in task order, the tasks queued from a thread.

    Starting a worker waits until the fork server has imported the parser (a few tenths of a
    second); queueing from a thread lets this process open the warehouse meanwhile.
    """

    def __init__(self, pool, tasks: list[tuple], workers: int):
        # Chunks big enough that the per-task round trip is noise, small enough to keep both busy.
        chunk = max(1, min(32, len(tasks) // (workers * 6)))
        self._answers = None
        self._error: BaseException | None = None

        def queue():
            try:
                self._answers = pool.map(prepare_one, tasks, chunksize=chunk)
            except BaseException as exc:  # re-raised in the loading thread
                self._error = exc

        self._thread = threading.Thread(target=queue, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def __iter__(self):
        self.wait()
        if self._error is not None:
            raise self._error
        return iter(self._answers)


def _prepared(pool, tasks: list[tuple], workers: int):
    """The workers' answers in task order (in this process, one by one, without a pool)."""
    if pool is None:
        return map(prepare_one, tasks)
    return _Queued(pool, tasks, workers)


def ingest(paths, *, db=None, manifest=None, workers: int = 1, dataset: str = "real",
           progress: bool = True) -> Summary:
    from .store import default_db_path, write_session

    man = manifest_mod.read_manifest(manifest) if manifest else None
    files = collect(list(paths) + ([] if paths or man is None else man.paths()))
    ctx = _start_server(workers, files)
    summary = Summary()
    scope = Scope(paths, manifest)  # links and paths out of the folder are refused unread
    hashed = [(f, None if scope.refusal(f) else _sha(f)) for f in files]
    # Files already in the published warehouse are not parsed again. Checking the published
    # file (not the writer's copy) lets the workers parse while this process copies and opens
    # the warehouse; a file that another writer publishes meanwhile is caught at load time.
    known = _published_shas(Path(db) if db else default_db_path(), [s for _, s in hashed if s])
    tasks, shas = [], {}
    for f, sha in hashed:
        if sha is None:
            reason = scope.refusal(f) or ("no such file" if not f.exists() else "cannot read the file")
            summary.results.append(FileResult(str(f), "refused", reason))
        elif sha in known:
            summary.results.append(FileResult(str(f), "duplicate", sha256=sha))
        else:
            shas[str(f)] = sha
            tasks.append((str(f), sha, man.lookup(f) if man else None, dataset))
    pool = _pool(ctx, workers, len(tasks))
    results = None
    try:
        results = _prepared(pool, tasks, workers)  # with a pool, every task is queued
        with write_session(db) as con:
            from .schema import ensure_schema

            ensure_schema(con)
            summary.batch_id = con.execute(read("load/next_batch")).fetchall()[0][0]
            chunk = LOAD_CHUNK if pool is None else OVERLAP_CHUNK
            _load(con, results, len(files), len(tasks), shas, progress, summary, chunk)
    finally:
        if isinstance(results, _Queued):
            results.wait()  # so that the shutdown below also cancels what it queued
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _published_shas(path: Path, shas: list[str]) -> set[str]:
    """Which of these hashes the published warehouse already holds (none when it cannot say)."""
    if not shas or not path.exists():
        return set()
    import duckdb

    try:
        con = duckdb.connect(":memory:")
    except duckdb.Error:
        return set()
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        con.execute("USE wh")
        return {r[0] for r in con.execute(read("load/known_shas"), [shas]).fetchall()}
    except duckdb.Error:
        return set()  # not a warehouse (yet): the write session decides and says so
    finally:
        con.close()


def _load(con, results, n_files, n_tasks, shas, progress, summary, chunk: int = LOAD_CHUNK) -> None:
    from .loader import add_wide_rows, load_prepared
    from .refresh import refresh

    bar = _bar(n_files, progress)
    bar.update(n_files - n_tasks)
    touched: set[str] = set()
    pending: list[tuple[str, object]] = []

    def flush():
        if not pending:
            return
        outcomes, agencies = load_prepared(con, [p for _, p in pending], batch_id=summary.batch_id, wide_rows=False)
        touched.update(agencies)
        for (path, _), o in zip(pending, outcomes):
            summary.results.append(FileResult(path, o.status, o.reason, o.report_id, shas.get(path)))
        pending.clear()

    for path, prepared, reason in results:
        bar.update(1)
        if prepared is None:
            summary.results.append(FileResult(path, "refused", reason, sha256=shas.get(path)))
            continue
        pending.append((path, prepared))
        if len(pending) >= chunk:
            flush()
    flush()
    bar.close()
    # One pivot for the whole batch: its cost is mostly fixed, whatever the number of reports.
    add_wide_rows(con, [r.report_id for r in summary.results if r.report_id is not None])
    if touched:
        refresh(con, touched)
    _log(con, summary)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, enabled: bool):
    if not enabled:
        return _NoBar()  # without importing tqdm (some 40 ms)
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, disable=not enabled, leave=False)


def _log(con, summary: Summary) -> None:
    import pyarrow as pa

    from .loader import insert_rows

    if not summary.results:
        return
    res = summary.results
    insert_rows(con, "ingest_log", pa.table({
        "batch_id": pa.array([summary.batch_id] * len(res), pa.int64()),
        "path": pa.array([r.path for r in res], pa.string()),
        "sha256": pa.array([r.sha256 for r in res], pa.string()),
        "status": pa.array([r.status for r in res], pa.string()),
        "reason": pa.array([r.reason for r in res], pa.string()),
        "report_id": pa.array([r.report_id for r in res], pa.int64()),
        "logged_at": pa.array([datetime.now()] * len(res), pa.timestamp("us")),
    }))
