"""Ingesting files: find them, parse them (optionally in several processes), load them as one
published batch, and log every file's fate.

Parsing is the slow part and runs in worker processes; loading stays in this process, the one
writer. Nothing is visible to readers until the whole batch is published (see store.py), so a
batch killed half-way leaves the previous warehouse intact and the same command can simply run
again.
"""

from __future__ import annotations

import hashlib
import queue
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import ReportError
from ..parsing import isolate
from ..parsing.formats import FORMATS, accepted_suffixes, by_suffix
from .. import manifest as manifest_mod
from .paths import Scope
from .sqlfiles import read

# The loading side (pandas, DuckDB) is imported inside ingest(): parse workers import this
# module too, and they need only the parser and records.py. records.py (numpy, pyarrow) is
# imported where it is used, so that the fork server starts before this process imports it.

REPORT_SUFFIXES = frozenset(accepted_suffixes())  # what folders are searched for
# Suffixes of documents a report is sometimes published in that no backend reads: a folder
# holding them is told so (they are not refused one by one: they are never opened).
UNREAD_DOCUMENTS = frozenset((".ofd", ".rtf", ".odt", ".wpt", ".xls", ".xlsx", ".et", ".zip", ".rar", ".7z",
                              ".gif", ".bmp", ".ppt", ".pptx"))
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
    unread: dict[str, int] = field(default_factory=dict)  # suffix -> files of UNREAD_DOCUMENTS left in folders

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


def unread_documents(paths) -> dict[str, int]:
    """How many files of each unreadable document suffix the folders among ``paths`` hold."""
    out: dict[str, int] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in p.rglob("*"):
                suffix = f.suffix.lower()
                if suffix in UNREAD_DOCUMENTS and f.is_file():
                    out[suffix] = out.get(suffix, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


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
    except MemoryError:
        raise  # the worker's memory cap: its supervisor gives the reason
    except Exception as exc:  # a parser bug must not stop the batch; the log names it
        return path, None, _one_line(f"解析程序出错（{type(exc).__name__}: {exc}）")


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
    except MemoryError:
        raise
    except Exception as exc:
        return path, None, _one_line(f"载入程序出错（{type(exc).__name__}: {exc}）")


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


def _start_server(files: list[Path]):
    """The fork server, started now so that it imports the parser while this process hashes the
    files and opens the warehouse (see ``isolate.context``); None for an empty batch."""
    return isolate.context(_preload(files)) if files else None


def _imports(files: list[Path]) -> tuple[str, ...]:
    """Backends a worker imports before its memory cap, so that a library's own mappings do not
    count against the file that first needs it. PyMuPDF only when the batch may hold a PDF."""
    named = [by_suffix(f.name) for f in files]
    if any(fmt is None or not fmt.preload for fmt in named):
        return tuple(dict.fromkeys(f.backend for f in FORMATS.values() if not f.preload)) + (isolate.PDF_LIBRARY,)
    return ()


class _Supervised:
    """The workers' answers in task order, produced from a thread.

    Starting a worker waits until the fork server has imported the parser (a few tenths of a
    second); supervising from a thread lets this process open the warehouse meanwhile, and load
    one chunk while the workers parse the next. A file whose worker died, overran its time or
    reached its memory cap comes back refused with the reason; the batch goes on.
    """

    _END = object()

    def __init__(self, ctx, tasks: list[tuple], workers: int, limits, imports):
        self._answers: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._sup = isolate.Supervisor(prepare_one, workers=min(workers, len(tasks)), limits=limits, ctx=ctx,
                                       imports=imports, settings=isolate.parser_settings())

        def supervise():
            try:
                for task, answer in zip(tasks, self._sup.map(tasks, stop=self._stop)):
                    if isinstance(answer, isolate.Done):
                        self._answers.put(answer.value)
                    else:
                        self._answers.put((task[0], None, answer.reason))
            except BaseException as exc:  # re-raised in the loading thread
                self._answers.put(exc)
            finally:
                self._sup.close()
                self._answers.put(self._END)

        self._thread = threading.Thread(target=supervise, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop parsing (what is left is not wanted) and wait until every worker is gone."""
        self._stop.set()
        self._thread.join()

    def __iter__(self):
        while True:
            item = self._answers.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item


def ingest(paths, *, db=None, manifest=None, workers: int = 1, dataset: str = "real",
           progress: bool = True, limits: isolate.Limits | None = None, cluster: str | None = None) -> Summary:
    """Parse the files in ``workers`` supervised child processes (one when ``workers`` is 1: the
    parser never runs in this process) under ``limits`` (default: ``Limits.from_env()``), and
    load what they read as one batch. ``cluster``: a Dask scheduler's address (or ``"local"``
    for a local cluster of ``workers`` processes) that parses instead (see cluster.py)."""
    from .store import default_db_path, write_session

    limits = limits or isolate.Limits.from_env()

    man = manifest_mod.read_manifest(manifest) if manifest else None
    files = collect(list(paths) + ([] if paths or man is None else man.paths()))
    ctx = None if cluster else _start_server(files)
    summary = Summary(unread=unread_documents(paths))
    scope = Scope(paths, manifest)  # links and paths out of the folder are refused unread
    hashed = [(f, None if scope.refusal(f) else _sha(f)) for f in files]
    # Files already in the published warehouse are not parsed again. Checking the published
    # file (not the writer's copy) lets the workers parse while this process copies and opens
    # the warehouse; a file that another writer publishes meanwhile is caught at load time.
    known = _published_shas(Path(db) if db else default_db_path(), [s for _, s in hashed if s])
    tasks, shas = [], {}
    for f, sha in hashed:
        if sha is None:
            reason = scope.refusal(f) or ("文件不存在" if not f.exists() else "无法读取文件")
            summary.results.append(FileResult(str(f), "refused", reason))
        elif sha in known:
            summary.results.append(FileResult(str(f), "duplicate", sha256=sha))
        else:
            shas[str(f)] = sha
            tasks.append((str(f), sha, man.lookup(f) if man else None, dataset))
    results = _results(ctx, tasks, workers, limits, files, cluster) if tasks else []
    try:
        with write_session(db) as con:
            from .schema import ensure_schema

            ensure_schema(con)
            summary.batch_id = con.execute(read("load/next_batch")).fetchall()[0][0]
            chunk = LOAD_CHUNK if workers <= 1 and not cluster else OVERLAP_CHUNK
            _load(con, results, len(files), len(tasks), shas, progress, summary, chunk)
    finally:
        if tasks:
            results.close()
    return summary


def _results(ctx, tasks, workers, limits, files, cluster):
    """Where the answers come from: this machine's supervised pool, or a cluster."""
    if cluster is None:
        return _Supervised(ctx, tasks, workers, limits, _imports(files))
    from .cluster import ClusterResults

    return ClusterResults(cluster, tasks, workers, limits, _imports(files), _preload(files))


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

    return tqdm(total=total, unit="份", desc="载入", file=sys.stderr, disable=not enabled, leave=False)


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
