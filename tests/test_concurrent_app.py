"""Concurrent use: app sessions and readers while a real ``analytics ingest`` writes the same
warehouse, and an ingest killed with SIGKILL half-way.

A reader must only ever see a whole published batch: the number of reports the overview page
shows is the total before the batch or the total after it, never something in between, and no
report is visible without its cells. A killed writer leaves the published warehouse exactly as
it was, and the same command then completes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from analytics.warehouse import connect_read
from fixtures.corpus import REAL
from fixtures.browser import CHROMIUM, CHROMIUM_ARGS, wait_until_idle
from fixtures.streamlit_server import serve
from robustness_plugin import tally

ROOT = Path(__file__).parents[1]
ANALYTICS = str(Path(sys.executable).with_name("analytics"))
FIRST = ["平潭综合实验区管委会_2025.txt", "平潭综合实验区管委会_2023.txt", "高新区_2021.txt"]
YEAR = 2025
N_NEW = 12
SESSIONS = 3


def _ingest(*paths: Path, db: Path, wait: bool = True):
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    env.pop("ANALYTICS_DB", None)
    cmd = [ANALYTICS, "ingest", *map(str, paths), "--db", str(db), "--quiet"]
    if wait:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _new_batch(folder: Path, report_text, n: int = N_NEW) -> Path:
    folder.mkdir()
    for i in range(n):
        rt = report_text(title=f"并发测试第{i + 1}区人民政府{YEAR}年政府信息公开工作年度报告")
        rt.t3["new_received"][0] += i  # distinct figures, distinct files
        rt.t3["new_received"][6] += i
        rt.t3["total_processed"][0] += i
        rt.t3["total_processed"][6] += i
        rt.t3["granted"][0] += i
        rt.t3["granted"][6] += i
        (folder / f"并发{i + 1:03d}.txt").write_text(rt.text(), encoding="utf-8")
    return folder


@pytest.fixture
def warehouse(tmp_path, report_text):
    first = tmp_path / "first"
    first.mkdir()
    for name in FIRST:
        shutil.copy(REAL / name, first / name)
    db = tmp_path / "warehouse.duckdb"
    run = _ingest(first, db=db)
    assert run.returncode == 0, run.stderr
    return db, _new_batch(tmp_path / "second", report_text)


def _current(con, year: int = YEAR) -> int:
    return con.execute("SELECT count(*) FROM reports WHERE is_current AND year = ?", [year]).fetchone()[0]


def _orphans(con) -> int:
    """Reports visible without any cell, or cells of reports that are not there: a half state."""
    return con.execute("SELECT (SELECT count(*) FROM reports r WHERE NOT EXISTS "
                       "(SELECT 1 FROM cells c WHERE c.report_id = r.report_id)) + "
                       "(SELECT count(*) FROM cells c WHERE NOT EXISTS "
                       "(SELECT 1 FROM reports r WHERE r.report_id = c.report_id))").fetchone()[0]


def _settled_count(page) -> int:
    """Wait for the overview's script run to finish and read its first card (已导入报告数)."""
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120000)
    wait_until_idle(page, polls=3, interval_ms=200, seconds=90)
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
    label = page.locator('[data-testid="stMetricLabel"]').first.inner_text()
    assert "报告数" in label, label
    return int(page.locator('[data-testid="stMetricValue"]').first.inner_text().replace(",", "").strip())


@pytest.mark.browser
def test_sessions_see_whole_batches_while_ingest_runs(warehouse, tmp_path):
    """Browser sessions on a real ``streamlit run`` and a direct reader, during a real ingest."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    db, batch = warehouse
    con = connect_read(db)
    before = _current(con)
    con.close()
    after = before + N_NEW
    seen: list[tuple[str, int, float, float]] = []  # (who, count, observation started, ended)
    errors: list[str] = []
    done = threading.Event()

    def reader():
        try:
            while True:
                last = done.is_set()
                t0 = time.monotonic()
                c = connect_read(db)
                try:
                    seen.append(("reader", _current(c), t0, time.monotonic()))
                    if _orphans(c):
                        errors.append("reader saw reports without cells (a half-written batch)")
                finally:
                    c.close()
                if last:
                    return
                time.sleep(0.05)
        except Exception as exc:  # reported by the main thread
            errors.append(f"reader: {type(exc).__name__}: {exc}")

    with serve(db, tmp_path / "uploads") as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [browser.new_context().new_page() for _ in range(SESSIONS)]
        for page in pages:  # warm: one full run each before the ingest starts
            page.goto(url)
        for k, page in enumerate(pages):
            seen.append((f"session {k}", _settled_count(page), time.monotonic(), time.monotonic()))
        watcher = threading.Thread(target=reader)
        watcher.start()
        started = time.monotonic()
        proc = _ingest(batch, db=db, wait=False)
        try:
            while True:
                last = proc.poll() is not None
                t0 = time.monotonic()
                for page in pages:  # every session asks for a fresh run at about the same moment
                    page.reload(wait_until="commit")
                for k, page in enumerate(pages):
                    seen.append((f"session {k}", _settled_count(page), t0, time.monotonic()))
                if last:
                    break
        finally:
            out, err = proc.communicate(timeout=300)
            finished = time.monotonic()
            done.set()
            watcher.join(timeout=60)
            browser.close()
    assert proc.returncode == 0, err
    assert not errors, errors
    counts = [c for _, c, _, _ in seen]
    assert set(counts) <= {before, after}, f"saw {sorted(set(counts))}, expected only {before} or {after}"
    overlapping = [who for who, _, t0, t1 in seen if t0 <= finished and t1 >= started]
    assert "reader" in overlapping, "no reader snapshot while the ingest ran"
    assert sum(w != "reader" for w in overlapping) >= SESSIONS, "app sessions did not run during the ingest"
    final = {who: c for who, c, _, _ in seen}  # the last observation of each session and the reader
    assert set(final.values()) == {after}, final
    tally("app sessions during ingest", "whole batch seen", sum(1 for s in seen if s[0] != "reader"))
    tally("reader snapshots during ingest", "whole batch seen", sum(1 for s in seen if s[0] == "reader"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sigkill_during_ingest_loses_nothing(warehouse):
    db, batch = warehouse
    before_digest = _digest(db)
    con = connect_read(db)
    before = _current(con)
    con.close()
    proc = _ingest(batch, db=db, wait=False)
    work = Path(f"{db}.writing")
    deadline = time.monotonic() + 120
    while not work.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    # Stopped the moment its working copy appears, the writer is caught mid-write every time:
    # copying, loading and publishing a batch take far longer than one poll, and publishing
    # renames the working copy away, so its presence after the stop proves the write unfinished.
    os.kill(proc.pid, signal.SIGSTOP)
    assert proc.poll() is None and work.exists(), "the writer finished before it was stopped"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _digest(db) == before_digest  # the published file was never touched
    con = connect_read(db)
    try:
        assert _current(con) == before and _orphans(con) == 0
    finally:
        con.close()
    run = _ingest(batch, db=db)  # the lock died with the process; the same command completes
    assert run.returncode == 0, run.stderr
    ro = duckdb.connect(str(db), read_only=True)
    try:
        assert _current(ro) == before + N_NEW and _orphans(ro) == 0
    finally:
        ro.close()
    tally("ingest killed with SIGKILL", "nothing lost, rerun completed")
