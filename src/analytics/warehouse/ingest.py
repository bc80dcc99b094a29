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
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import ReportError
from . import manifest as manifest_mod
from .loader import load_into
from .refresh import refresh
from .schema import ensure_schema
from .sqlfiles import read
from .store import write_session

REPORT_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".txt", ".md", ".markdown"}
LOAD_CHUNK = 200  # records per loading transaction: bounded memory, few round trips


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
    """Worker: ``(path, record, None)`` or ``(path, None, one-line reason)``; never raises."""
    from ..parsing import parse_file

    try:
        return path, parse_file(path), None
    except ReportError as exc:
        return path, None, _one_line(exc.message)
    except Exception as exc:  # a parser bug must not stop the batch; the log names it
        return path, None, _one_line(f"parser failure ({type(exc).__name__}: {exc})")


def _watch_parent(parent: int) -> None:
    """Worker initialiser: exit when the ingest process is gone (a SIGKILL leaves no orphans)."""
    import os
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _parsed(paths: list[str], workers: int):
    if workers <= 1 or len(paths) < 2:
        for p in paths:
            yield parse_one(p)
        return
    # spawn, not fork: the parent holds a DuckDB connection with threads of its own.
    ctx = multiprocessing.get_context("spawn")
    import os

    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_watch_parent,
                             initargs=(os.getpid(),)) as pool:
        yield from pool.map(parse_one, paths, chunksize=max(1, min(8, len(paths) // (workers * 4))))


def ingest(paths, *, db=None, manifest=None, workers: int = 1, dataset: str = "real",
           progress: bool = True) -> Summary:
    man = manifest_mod.read_manifest(manifest) if manifest else None
    files = collect(list(paths) + ([] if paths or man is None else man.paths()))
    summary = Summary()
    with write_session(db) as con:
        ensure_schema(con)
        summary.batch_id = con.execute(read("load/next_batch")).fetchone()[0]
        hashed = [(f, _sha(f)) for f in files]
        known = {r[0] for r in con.execute(read("load/known_shas"), [[s for _, s in hashed if s]]).fetchall()}
        todo, shas = [], {}
        for f, sha in hashed:
            if sha is None:
                reason = "no such file" if not f.exists() else "cannot read the file"
                summary.results.append(FileResult(str(f), "refused", reason))
            elif sha in known:
                summary.results.append(FileResult(str(f), "duplicate", sha256=sha))
            else:
                shas[str(f)] = sha
                todo.append(str(f))
        bar = _bar(len(files), progress)
        bar.update(len(files) - len(todo))
        touched: set[str] = set()
        pending: list[tuple[str, dict, dict | None]] = []

        def flush():
            if not pending:
                return
            records = [rec for _, rec, _ in pending]
            info = {}
            for _, rec, given in pending:
                if given:
                    info[str(rec.get("agency") or "")] = given
            outcomes, agencies = load_into(con, records, dataset=dataset, agency_info=info,
                                           batch_id=summary.batch_id, info_source="manifest")
            touched.update(agencies)
            for (path, _, _), o in zip(pending, outcomes):
                summary.results.append(FileResult(path, o.status, o.reason, o.report_id, shas.get(path)))
            pending.clear()

        for path, record, reason in _parsed(todo, workers):
            bar.update(1)
            if record is None:
                summary.results.append(FileResult(path, "refused", reason, sha256=shas.get(path)))
                continue
            record.setdefault("source", {})["sha256"] = shas[path]
            record, given = manifest_mod.apply(record, man.lookup(path) if man else None)
            pending.append((path, record, given))
            if len(pending) >= LOAD_CHUNK:
                flush()
        flush()
        bar.close()
        if touched:
            refresh(con, touched)
        _log(con, summary)
    return summary


def _bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, disable=not enabled, leave=False)


def _log(con, summary: Summary) -> None:
    now = datetime.now()
    rows = [(summary.batch_id, r.path, r.sha256, r.status, r.reason, r.report_id, now) for r in summary.results]
    if rows:
        con.executemany(read("load/insert_log"), rows)
