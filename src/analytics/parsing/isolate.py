"""Parsing untrusted files in supervised child processes, each with a memory and a time limit.

A document can make a parser use gigabytes (a small PDF of millions of drawn lines, a .docx of
hundreds of megabytes of XML), run for minutes, or crash the PDF library outright. None of that
may take down the process that asked: the ingest command (whose batch must go on) or the
Streamlit server (shared by every user). So each file is parsed in a worker process:

* its address space may grow by at most ``memory_mb`` while it parses one file
  (``RLIMIT_AS``, set again before each file: the libraries it imported meanwhile do not eat the
  budget); an allocation past it fails, which Python reports as ``MemoryError`` and C code as a
  failed allocation or a crash;
* it gets ``timeout_s`` seconds of wall-clock time per file, after which it is killed;
* a worker that dies (a signal, an exit), overruns or reaches its memory limit is replaced, and
  its file alone gets a one-line Chinese reason (``REASONS``); the other files go on.

``Supervisor.map`` yields ``Done(value)`` or ``Refused(reason)`` per task, in task order.

Limits come from ``ANALYTICS_PARSE_MEMORY_MB`` and ``ANALYTICS_PARSE_TIMEOUT`` (or the ingest
command's ``--parse-memory-mb`` / ``--parse-timeout``); see docs/architecture.md.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_ready

DEFAULT_MEMORY_MB = 2048  # headroom above any real report seen (under 300 MB); 2 workers fit a small host
DEFAULT_TIMEOUT_S = 120.0  # real reports parse in under 5 s even on a busy machine
# A worker whose address space came this close to its cap failed because of the cap, whatever
# the error it met on the way (a library may turn a failed allocation into its own exception).
NEAR_CAP = 0.95
START_GRACE_S = 30.0  # a new worker's imports (PyMuPDF: seconds on a busy host) before its first file
POLL_S = 0.05  # how often the supervisor looks at its busy workers' memory and clocks

REASONS = {
    "memory": "解析超过内存上限 {memory_mb} MB",
    "timeout": "解析超时（超过 {timeout_s:g} 秒）",
    "signal": "解析进程异常退出（信号 {signal}{name}）",
    "exit": "解析进程异常退出（退出码 {code}）",
}


def _env_number(name: str, default: float, kind=float):
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw}")
    return value


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_env(cls, memory_mb: int | None = None, timeout_s: float | None = None) -> "Limits":
        """The limits given, else those of the environment, else the defaults."""
        return cls(memory_mb or _env_number("ANALYTICS_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB, int),
                   timeout_s or _env_number("ANALYTICS_PARSE_TIMEOUT", DEFAULT_TIMEOUT_S))

    def reason(self, kind: str, **extra) -> str:
        return REASONS[kind].format(memory_mb=self.memory_mb, timeout_s=self.timeout_s, **extra)


@dataclass
class Done:
    value: object


@dataclass
class Refused:
    reason: str  # Chinese, one line


def death_reason(limits: Limits, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = f"，{signal.Signals(-exitcode).name}"
        except ValueError:
            name = ""
        return limits.reason("signal", signal=-exitcode, name=name)
    return limits.reason("exit", code=exitcode)


# --- the worker side ---------------------------------------------------------------------------

def _vm(field_name: str, pid: int | str = "self") -> int | None:
    """A ``Vm*`` figure of /proc/PID/status in bytes (None once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(field_name.encode() + b":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cap_address_space(budget: int) -> int:
    """Let the address space grow by ``budget`` bytes from now on; returns the cap."""
    import resource

    cap = (_vm("VmSize") or 0) + budget
    # Only the soft limit: the hard one stays unlimited so the next file can get its own budget.
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    return cap


def watch_parent(watched_pid: int) -> None:
    """Exit when ``watched_pid`` is gone (a SIGKILLed ingest or server leaves no orphans).

    Under the forkserver a worker's parent is the server, not the watched process, so this
    watches both: that process by its pid, and the parent for a change (the server gone).
    """
    parent = os.getppid()

    def alive() -> bool:
        try:
            os.kill(watched_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return os.getppid() == parent and _state(watched_pid) not in ("Z", "X")

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


def _serve(conn, fn, limits: Limits, watched_pid: int, imports: tuple, settings: dict) -> None:
    """Worker loop: for each task received, ``("start", cap)`` then ``("done", value)`` or
    ``("memory", None)``. After a file that reached the cap the worker exits: its heap is
    fragmented and may hold what the failed parse left behind."""
    watch_parent(watched_pid)
    for module, values in settings.items():  # the asking process's limits (e.g. MAX_BYTES)
        mod = importlib.import_module(module)
        for name, value in values.items():
            setattr(mod, name, value)
    for name in imports:  # before the cap: a library's mappings are not the file's memory
        module, _, call = name.partition(":")  # "module:function" imports by calling it
        mod = importlib.import_module(module)
        if call:
            getattr(mod, call)()
    budget = limits.memory_mb * 1024 * 1024
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        cap = _cap_address_space(budget)
        conn.send(("start", cap))
        try:
            answer = ("done", fn(task))
        except MemoryError:
            answer = ("memory", None)
        if (_vm("VmPeak") or 0) >= cap - (1 - NEAR_CAP) * budget:
            answer = ("memory", None)
        try:
            conn.send(answer)
        except MemoryError:
            answer = ("memory", None)
            conn.send(answer)
        if answer[0] == "memory":
            return


def parser_settings() -> dict:
    """What this process's parser is set to and a worker must share (tests lower MAX_BYTES)."""
    from .. import parsing

    return {"analytics.parsing": {"MAX_BYTES": parsing.MAX_BYTES}}


def parse_stored(task: tuple):
    """Worker: parse the file at ``path`` as if named ``name`` (an upload is stored under its
    hash). ``("ok", record)`` or ``("error", message, Chinese label)``."""
    from pathlib import Path

    from ..errors import ReportError
    from . import parse_report

    path, name = task
    try:
        report = parse_report(Path(path).read_bytes(), name)
        record = report.to_json()
        record["source"]["text_sha256"] = report.source.text_sha256
        return "ok", record
    except ReportError as exc:
        return "error", exc.message, exc.label_zh
    except MemoryError:
        raise
    except Exception as exc:  # a parser bug: this file is refused, the page goes on
        return "error", " ".join(f"解析程序出错（{type(exc).__name__}: {exc}）".split())[:300], "解析失败"


# --- the supervising side ----------------------------------------------------------------------

def context(preload: list[str]):
    """The ``forkserver`` context, its server started now (it imports ``preload`` meanwhile).

    The server forks each worker from a clean process that has imported the parser: no
    re-import per worker (as with ``spawn``), and no fork of the asking process, which may hold
    DuckDB connections and their threads (a reader in the app, an earlier session). A server
    already running in this process is reused with what it imported.
    """
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload)
    forkserver.ensure_running()
    return ctx


# Imported by a worker, not the fork server, when it may meet a PDF: PyMuPDF costs more to import
# than a batch of text to parse, and must be in before the memory cap (see _serve).
PDF_LIBRARY = "analytics.parsing.backends.pdf_text:import_pymupdf"
# What a worker needs to parse, imported once by the fork server (see ingest._preload).
PARSER_PRELOAD = ["analytics.parsing", "analytics.parsing.assemble", "analytics.parsing.backends.text",
                  "analytics.parsing.backends.html", "analytics.parsing.backends.docx"]


@dataclass
class _Worker:
    process: object
    conn: object
    task: int | None = None  # index of the task it parses
    started: float = 0.0
    cap: int | None = None
    peak: int = 0  # the largest address space seen while it parsed this task


@dataclass
class Supervisor:
    """Up to ``workers`` children running ``fn(task)``; ``fn`` must be importable by name."""

    fn: object
    workers: int = 1
    limits: Limits = field(default_factory=Limits.from_env)
    ctx: object = None
    imports: tuple = ()
    settings: dict = field(default_factory=dict)

    def __post_init__(self):
        self._pool: list[_Worker] = []
        self._closed = False

    def _spawn(self) -> _Worker:
        ctx = self.ctx or context(PARSER_PRELOAD)
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_serve, daemon=True, name="analytics-parse",
                           args=(there, self.fn, self.limits, os.getpid(), tuple(self.imports), self.settings))
        proc.start()
        there.close()
        return _Worker(proc, here)

    def _retire(self, w: _Worker, kill: bool) -> None:
        if kill and w.process.is_alive():
            try:
                os.kill(w.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        w.conn.close()
        w.process.join(5)
        if w in self._pool:
            self._pool.remove(w)

    def map(self, tasks: list, stop: threading.Event | None = None):
        """``Done(fn(task))`` or ``Refused(reason)`` for each task, in task order; ends early
        once ``stop`` is set."""
        answers: dict[int, object] = {}
        todo = deque(range(len(tasks)))
        tries = [0] * len(tasks)
        next_out = 0
        while next_out < len(tasks) and not (stop and stop.is_set()):
            while todo and len(self._pool) < min(self.workers, len(todo) + self._busy()):
                self._pool.append(self._spawn())
            for w in self._pool:
                if w.task is None and todo:
                    w.task, w.started, w.cap, w.peak = todo.popleft(), time.monotonic(), None, 0
                    tries[w.task] += 1
                    try:
                        w.conn.send(tasks[w.task])
                    except (BrokenPipeError, OSError):
                        pass  # it died idle: seen below as a death, and its task is given again
            self._step(answers, todo, tries)
            while next_out in answers:
                yield answers.pop(next_out)
                next_out += 1

    def _busy(self) -> int:
        return sum(1 for w in self._pool if w.task is not None)

    def _step(self, answers: dict, todo: deque, tries: list) -> None:
        busy = [w for w in self._pool if w.task is not None]
        if not busy:
            return
        ready = wait_ready([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_S)
        now = time.monotonic()
        for w in busy:
            done = False
            if w.conn in ready or w.process.sentinel in ready:
                done = self._read(w, answers)
            if done:
                continue
            if not w.process.is_alive():
                self._died(w, answers, todo, tries)
            elif now - w.started > self.limits.timeout_s + (0 if w.cap else START_GRACE_S):
                answers[w.task] = Refused(self.limits.reason("timeout"))
                self._retire(w, kill=True)
            else:
                w.peak = max(w.peak, _vm("VmSize", w.process.pid) or 0)

    def _read(self, w: _Worker, answers: dict) -> bool:
        """Take the worker's messages; True once its task is answered."""
        try:
            while w.conn.poll():
                kind, value = w.conn.recv()
                if kind == "start":  # its clock starts now, after the imports of a new worker
                    w.cap, w.started = value, time.monotonic()
                    continue
                if kind == "done":
                    answers[w.task] = Done(value)
                    w.task = None
                else:  # "memory": it exits by itself
                    answers[w.task] = Refused(self.limits.reason("memory"))
                    self._retire(w, kill=False)
                return True
        except (EOFError, OSError):
            pass  # it died: handled by the caller
        return False

    def _died(self, w: _Worker, answers: dict, todo: deque, tries: list) -> None:
        w.process.join(1)
        if self._read(w, answers):  # it answered before it died; its "start" otherwise
            self._retire(w, kill=True)
            return
        if w.cap is None and tries[w.task] < 2:
            todo.appendleft(w.task)  # it died before it began this file: the file gets another worker
        elif w.cap and w.peak >= w.cap - (1 - NEAR_CAP) * self.limits.memory_mb * 1024 * 1024:
            # A C library that meets a failed allocation may crash instead of raising.
            answers[w.task] = Refused(f"{self.limits.reason('memory')}，"
                                      f"{death_reason(self.limits, w.process.exitcode)}")
        else:
            answers[w.task] = Refused(death_reason(self.limits, w.process.exitcode))
        self._retire(w, kill=True)

    def close(self) -> None:
        """Stop every worker (the busy ones are killed: their answers are no longer wanted)."""
        for w in list(self._pool):
            if w.task is None:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
                w.process.join(2)
            self._retire(w, kill=True)
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_one(fn, task, **kwargs):
    """``fn(task)`` in a supervised child: ``Done`` or ``Refused``."""
    with Supervisor(fn, workers=1, **kwargs) as sup:
        return next(iter(sup.map([task])))
