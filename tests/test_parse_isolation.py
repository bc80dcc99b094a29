"""Every file is parsed in a supervised child process with its own memory and time limit.

A worker that crashes, is killed, overruns its time or reaches its memory cap refuses its own
file with one Chinese line naming the reason; the other files of the batch load, and nothing
loaded before is lost. The memory bombs are small files built here, within every input size
limit; the limits are lowered so that each is refused in seconds, and the peak memory of every
process of the run is measured from /proc while it runs (``VmHWM``: the kernel's own high-water
mark of resident memory).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from analytics.dashboard import uploads
from analytics.parsing import isolate
from fixtures import bombs
from fixtures.corpus import REAL
from robustness_plugin import tally

ANALYTICS = str(Path(sys.executable).with_name("analytics"))
GOOD = ["平潭综合实验区管委会_2021.txt", "上海市人民政府办公厅_2019.html", "平潭综合实验区管委会_2023.txt",
        "高新区_2021.txt"]
MEMORY_MB = 200
# Generous: on a shared, loaded machine a bomb may take ten times as long to reach its cap.
TIMEOUT_S = 30
MB = 1024 * 1024
# What a worker holds before its first file: the interpreter, the parser, NumPy, PyArrow and
# PyMuPDF (about 200 MB resident). Its cap is on what one file adds.
WORKER_BASE_MB = 300


def _memory_reason() -> str:
    return isolate.Limits(MEMORY_MB, TIMEOUT_S).reason("memory")


# name -> (file name, builder). Each is scaled to reach 200 MB in a second or two (unbounded,
# the full-size files took 3.5 to 7.7 GB).
BOMBS = {
    "docx of 15 MB XML": ("xml.docx", lambda: bombs.docx_of_xml(15)),
    "PDF of 200k line segments": ("segments.pdf", lambda: bombs.pdf_of_segments(200_000)),
    "PDF of 1M identical lines": ("identical.pdf", lambda: bombs.pdf_of_identical_lines(1_000_000)),
}
# Ten pages of 100,000 scattered runs: about 12 s a page unbounded on an idle machine (two minutes
# in all), so a limit of 15 s refuses it with a margin of eight however fast the machine is.
SLOW = ("dense.pdf", lambda: bombs.pdf_of_dense_text(100_000, pages=10))


class PeakWatch:
    """The largest ``VmHWM`` of ``pid`` and of every process below it, sampled every 20 ms.

    The processes already running (the test process, workers kept warm from earlier tests) have
    their high-water mark reset to their present size first: a peak reached by an earlier test in
    the same process is no part of this one.
    """

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peaks: dict[int, int] = {}
        for p in [self.root] + self.root.children(recursive=True):
            _reset_hwm(p.pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                return
            for p in procs:
                hwm = _hwm(p.pid)
                if hwm:
                    self.peaks[p.pid] = max(self.peaks.get(p.pid, 0), hwm)
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return max(self.peaks.values(), default=0)

    def peak_below(self) -> int:
        """The largest peak among the processes under the root that are not copies of it.

        A process forked from the test process by an earlier test shares its pages and shows its
        size; it parses nothing, so it says nothing about the workers.
        """
        try:
            root_cmd = self.root.cmdline()
        except psutil.Error:
            root_cmd = None
        peaks = []
        for pid, peak in self.peaks.items():
            if pid == self.root.pid:
                continue
            try:
                if psutil.Process(pid).cmdline() == root_cmd:
                    continue
            except psutil.Error:
                pass  # a worker retired after the cap: its peak counts
            peaks.append(peak)
        return max(peaks, default=0)


def _reset_hwm(pid: int) -> None:
    """Linux resets a process's VmHWM to its VmRSS when "5" is written to its clear_refs."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONWARNINGS="ignore", **extra)
    for name in ("ANALYTICS_DB", "ANALYTICS_PARSE_MEMORY_MB", "ANALYTICS_PARSE_TIMEOUT"):
        env.pop(name, None)
    return env


def _rows(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    for name, build in [*BOMBS.values(), SLOW]:
        (folder / name).write_bytes(build())
    return folder


@pytest.fixture
def warehouse(tmp_path) -> tuple[Path, list[tuple]]:
    """A warehouse holding one report already, and its rows."""
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(REAL / "平潭综合实验区管委会_2019.txt", first)
    db = tmp_path / "wh.duckdb"
    run = subprocess.run([ANALYTICS, "ingest", str(first), "--db", str(db), "--quiet"], capture_output=True,
                         text=True, timeout=120, env=_env())
    assert run.returncode == 0, run.stderr
    return db, _rows(db, "SELECT report_id, agency_id, year, n_cells FROM reports ORDER BY 1")


def _batch(folder: Path, extra: list[Path]) -> Path:
    folder.mkdir()
    for name in GOOD:
        shutil.copy(REAL / name, folder / name)
    for path in extra:
        shutil.copy(path, folder / path.name)
    return folder


def _check_batch(db: Path, before: list[tuple], folder: Path, stdout: str, refused: dict[str, str]) -> None:
    """Good files loaded, each bad one refused with its reason (log and one stdout line), and the
    report loaded before unchanged."""
    batch = _rows(db, "SELECT max(batch_id) FROM ingest_log")[0][0]
    log = {Path(p).name: (s, r) for p, s, r in
           _rows(db, "SELECT path, status, reason FROM ingest_log WHERE batch_id = ?", [batch])}
    for name in GOOD:
        assert log[name][0] in ("loaded", "loaded_with_warnings"), (name, log[name])
    for name, reason in refused.items():
        assert log[name] == ("refused", reason), (name, log[name])
        lines = [line for line in stdout.splitlines() if name in line]
        assert lines == [f"  拒绝 {folder / name}: {reason}"], stdout
    ids = [r[0] for r in before]
    assert _rows(db, f"SELECT report_id, agency_id, year, n_cells FROM reports WHERE report_id IN "
                     f"({','.join('?' * len(ids))}) ORDER BY 1", ids) == before


def test_supervisor_answers_every_task_whatever_its_worker_meets():
    """A real segfault, a Python heap growing past the cap, a task that never ends and an exit:
    each refuses its own task; the tasks around them are answered, in order, by new workers."""
    limits = isolate.Limits(memory_mb=100, timeout_s=2)
    tasks = [("ok", 1), ("segv", 0), ("ok", 2), ("hog", MB), ("sleep", 60), ("exit", 3), ("ok", 3)]
    started = time.monotonic()
    with isolate.Supervisor(_task_fn(), workers=1, limits=limits) as sup:
        answers = list(sup.map(tasks))
    assert answers == [
        isolate.Done(2),
        isolate.Refused("解析进程异常退出（信号 11，SIGSEGV）"),
        isolate.Done(4),
        isolate.Refused("解析超过内存上限 100 MB"),
        isolate.Refused("解析超时（超过 2 秒）"),
        isolate.Refused("解析进程异常退出（退出码 3）"),
        isolate.Done(6),
    ]
    assert time.monotonic() - started < 30
    tally("parse worker crashed (SIGSEGV), overran, exited", "that file refused, the others answered", 4)


def _task_fn():
    from fixtures.worker_tasks import run

    return run


def _ingest(folder: Path, db: Path, workers: int, memory_mb: int, timeout_s: float) -> tuple[str, str, int, float]:
    """``analytics ingest`` as a subprocess: stdout, stderr, the peak ``VmHWM`` of it and every
    process under it, and the wall time."""
    started = time.monotonic()
    proc = subprocess.Popen([ANALYTICS, "ingest", str(folder), "--db", str(db), "--quiet", "--workers", str(workers),
                             "--parse-memory-mb", str(memory_mb), "--parse-timeout", str(timeout_s)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    watch = PeakWatch(proc.pid)
    try:
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    peak = watch.stop()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return out, err, peak, time.monotonic() - started


def test_memory_bombs_are_refused_within_the_memory_limit(bomb_dir, warehouse, tmp_path):
    db, before = warehouse
    folder = _batch(tmp_path / "batch", [bomb_dir / name for name, _ in BOMBS.values()])
    out, _, peak, elapsed = _ingest(folder, db, 2, MEMORY_MB, TIMEOUT_S)
    expected = {}
    for kind, (name, _) in BOMBS.items():
        reason = _reason_in_log(db, name)
        # MuPDF may crash on the failed allocation instead of reporting it: then the reason says both.
        # Or it frees its caches and goes on within the cap, slowly: then the time limit ends it.
        capped = reason == _memory_reason() or reason.startswith(_memory_reason() + "，解析进程异常退出（信号")
        timed_out = reason == isolate.Limits(MEMORY_MB, TIMEOUT_S).reason("timeout")
        assert capped or (timed_out and name.endswith(".pdf")), (kind, reason)
        expected[name] = reason
        tally(f"memory bomb: {kind}", f"refused ({'memory cap' if capped else 'time limit'}), batch loaded")
    _check_batch(db, before, folder, out, expected)
    # Unbounded, such files took gigabytes and minutes; here every process stayed under its cap.
    assert peak < (MEMORY_MB + WORKER_BASE_MB) * MB, f"peak {peak / MB:.0f} MB"
    assert elapsed < 3 * TIMEOUT_S, f"{elapsed:.0f} s"


def test_a_slow_file_is_refused_at_the_time_limit(bomb_dir, warehouse, tmp_path):
    db, before = warehouse
    name = SLOW[0]
    folder = _batch(tmp_path / "batch", [bomb_dir / name])
    timeout_s = 15  # the good files must still parse within it on a loaded machine
    out, _, peak, elapsed = _ingest(folder, db, 1, 4000, timeout_s)
    reason = isolate.Limits(4000, timeout_s).reason("timeout")
    assert reason == "解析超时（超过 15 秒）"
    _check_batch(db, before, folder, out, {name: reason})
    assert peak < (4000 + WORKER_BASE_MB) * MB
    assert elapsed < 120, f"{elapsed:.0f} s"  # unbounded: minutes
    tally("time bomb: PDF of dense text", "refused (time limit), batch loaded")


def _reason_in_log(db: Path, name: str) -> str:
    return _rows(db, "SELECT reason FROM ingest_log WHERE path LIKE ? AND status = 'refused' "
                     "ORDER BY batch_id DESC LIMIT 1", [f"%/{name}"])[0][0]


def test_a_killed_worker_refuses_its_file_and_the_batch_goes_on(bomb_dir, warehouse, tmp_path):
    db, before = warehouse
    slow = bomb_dir / SLOW[0]  # minutes of parsing without limits: a worker is sure to be busy with it
    folder = _batch(tmp_path / "batch", [slow])
    proc = subprocess.Popen([ANALYTICS, "ingest", str(folder), "--db", str(db), "--quiet", "--workers", "2",
                             "--parse-memory-mb", "4000", "--parse-timeout", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        victim = _busy_worker(proc.pid)
        os.kill(victim, signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    _check_batch(db, before, folder, out, {slow.name: "解析进程异常退出（信号 9，SIGKILL）"})
    tally("parse worker killed (SIGKILL)", "that file refused, batch loaded")


def _busy_worker(ingest_pid: int, wait_s: float = 60) -> int:
    """The pid of the one worker still parsing once the small files are done: a grandchild of
    the ingest process (under its fork server) that kept using CPU for a second while the others
    were idle."""
    deadline = time.monotonic() + wait_s
    root = psutil.Process(ingest_pid)
    while time.monotonic() < deadline:
        workers = [p for p in root.children(recursive=True) if p.ppid() != ingest_pid]
        before = {p.pid: _cpu(p) for p in workers}
        time.sleep(1.0)
        used = {p.pid: _cpu(p) - before[p.pid] for p in workers}
        busy = [pid for pid, t in used.items() if t > 0.15]
        if len(busy) == 1 and len(workers) >= 2 and all(t < 0.05 for pid, t in used.items() if pid != busy[0]):
            return busy[0]
    raise AssertionError("no busy parse worker found")


def _cpu(p: psutil.Process) -> float:
    try:
        t = p.cpu_times()
        return t.user + t.system
    except psutil.Error:
        return 0.0


def test_upload_parses_a_bomb_in_a_worker_not_in_the_server(bomb_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_PARSE_MEMORY_MB", str(MEMORY_MB))
    monkeypatch.setenv("ANALYTICS_PARSE_TIMEOUT", str(TIMEOUT_S))
    good = uploads.accept(GOOD[0], (REAL / GOOD[0]).read_bytes(), folder=tmp_path)  # workers started, warm
    assert good.ok, good.error
    import resource

    own_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    watch = PeakWatch(os.getpid())
    up = uploads.accept("报告.docx", (bomb_dir / "xml.docx").read_bytes(), folder=tmp_path)
    watch.stop()
    own_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert up.record is None and up.reason_zh == uploads.REFUSED_BY_WORKER_ZH
    assert up.error == _memory_reason(), up.error
    assert own_after - own_before < 50 * MB  # the server process did not parse it
    assert watch.peaks.get(os.getpid(), 0) - own_before < 50 * MB
    worker_peak = watch.peak_below()
    assert worker_peak < (MEMORY_MB + WORKER_BASE_MB) * MB, f"worker peak {worker_peak / MB:.0f} MB"
    tally("memory bomb: upload", "refused in a worker, server kept")
