"""Parsing on a Dask cluster: many machines parse, this process alone writes the warehouse.

Parsing is a pure function from a file to the rows it adds (``ingest.prepare_one``), so it can
run anywhere the file can be read. ``ClusterResults`` sends each file of the batch to a Dask
scheduler (``--cluster tcp://HOST:8786``, or ``--cluster local`` for a cluster of ``--workers``
processes on this machine) and yields the answers in task order, as the process pool does, so
a cluster of any size feeds the one DuckDB writer the same rows in the same order.

On each Dask worker the file is parsed under the same supervision as on this machine
(``parsing/isolate.py``): a child process with the memory cap and the time limit, replaced when
a document crashes it, so a bomb refuses its own file and the Dask worker lives on. A Dask worker
that dies (killed, its machine lost) has its unfinished files handed to another by the
scheduler; a file that keeps killing workers is refused with its reason.

Workers read the file at the path the task names (absolute): every machine must see the files
at the same path (a shared folder); a machine that cannot refuses the file and names itself.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from urllib.parse import urlsplit

from ..errors import ReportError
from ..parsing import isolate

LOCAL = "local"
DEFAULT_PORT = 8786  # the Dask scheduler's
# How long to wait for the scheduler before saying it cannot be reached.
CONNECT_TIMEOUT_S = float(os.environ.get("ANALYTICS_CLUSTER_TIMEOUT", 10))
# Files submitted ahead of the first unanswered one: enough to keep every worker busy, few
# enough that a slow file (an OCR job) holds back a bounded number of answers in memory.
AHEAD_PER_THREAD = 8
MIN_AHEAD = 32


class ClusterUnusable(ReportError):
    """The cluster cannot do the work (unreachable, or its workers cannot start parsers)."""

    reason = "cluster"
    label_zh = "集群不可用"


# --- the worker side ---------------------------------------------------------------------------

_local = threading.local()  # one supervised parser per Dask worker thread


def parse_task(task: tuple, limits: isolate.Limits, imports: tuple, settings: dict, preload: list):
    """Run on a Dask worker: ``(path, Prepared | None, reason | None)`` for one ingest task, the
    file parsed in a supervised child of this worker (its memory cap and time limit)."""
    import multiprocessing

    from .ingest import prepare_one

    if multiprocessing.current_process().daemon:
        raise ClusterUnusable("集群工作进程是守护进程，无法启动解析子进程：请以 "
                              "DASK_DISTRIBUTED__WORKER__DAEMON=False 启动 dask worker")
    given, path = task[0], _absolute(task[0], task[-1])
    if not os.path.exists(path):
        return given, None, f"集群节点 {socket.gethostname()} 上找不到该文件（各节点须以相同路径看到文件）"
    key = (limits, imports, repr(settings))
    sup = getattr(_local, "sup", None)
    if sup is None or _local.key != key:
        if sup is not None:
            sup.close()
        # Dask starts its workers with MALLOC_TRIM_THRESHOLD_ (glibc then hands every freed block
        # back and maps every large one anew): the parse children, forked from a server started
        # here, must not inherit it. OCR, all large image arrays, ran some 3x slower with it.
        os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        sup = isolate.Supervisor(prepare_one, workers=1, limits=limits, ctx=isolate.context(preload),
                                 imports=imports, settings=settings)
        _local.sup, _local.key = sup, key
    answer = next(iter(sup.map([(path, *task[1:-1])])))
    if not isinstance(answer, isolate.Done):
        return given, None, answer.reason
    _, prepared, reason = answer.value
    if prepared is not None:
        prepared.report["source_path"] = given  # the path as the command was given it
    return given, prepared, reason


def _absolute(path: str, cwd: str) -> str:
    return path if os.path.isabs(path) else os.path.join(cwd, path)


# --- the client side ---------------------------------------------------------------------------

def connect(address: str, workers: int):
    """``(client, local cluster or None)``; an unreachable scheduler is one Chinese line."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterUnusable("未安装 Dask distributed：pip install \"analytics[cluster]\"") from None

    for name in ("distributed", "tornado"):  # its own warnings would break the one-line contract
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if address == LOCAL:
        # Not daemonic: a worker's parse children are its own supervised processes. Set for the
        # rest of this process: a nanny reads it again whenever it starts a new worker.
        dask.config.set({"distributed.worker.daemon": False})
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.CRITICAL)
        try:
            return Client(cluster, timeout=CONNECT_TIMEOUT_S), cluster
        except BaseException:
            cluster.close()
            raise
    target = address if "://" in address else "tcp://" + address
    _reachable(address, target)
    try:
        return Client(target, timeout=CONNECT_TIMEOUT_S, set_as_default=False), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnusable(f"无法连接集群调度器 {address}（{_why(exc)}）") from None


def _reachable(address: str, target: str) -> None:
    """A TCP scheduler's port answers: a refused or unresolvable address fails at once, in words
    that say which, instead of after the client's retries until its timeout."""
    parts = urlsplit(target)
    if parts.scheme != "tcp":
        return  # tls:// and the rest: the client says
    try:
        host, port = parts.hostname, parts.port or DEFAULT_PORT
    except ValueError:
        raise ClusterUnusable(f"集群调度器地址无效：{address}（应为 tcp://主机:端口）") from None
    if not host:
        raise ClusterUnusable(f"集群调度器地址无效：{address}（应为 tcp://主机:端口）")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise ClusterUnusable(f"无法连接集群调度器 {address}（{_why(exc)}）") from None


def _why(exc: BaseException) -> str:
    while exc.__cause__ or exc.__context__:
        if isinstance(exc, (ConnectionRefusedError, socket.gaierror, TimeoutError, socket.timeout)):
            break
        exc = exc.__cause__ or exc.__context__
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝：该地址上没有调度器在监听"
    if isinstance(exc, socket.gaierror):
        return "主机名无法解析"
    if isinstance(exc, (TimeoutError, socket.timeout)) or "Timed out" in str(exc):
        return f"{CONNECT_TIMEOUT_S:g} 秒内未连上"
    return f"{type(exc).__name__}: {exc}"[:120]


class ClusterResults:
    """The answers to ``tasks`` from a Dask cluster, in task order (an iterable, like the
    process pool's ``_Supervised``), with at most a window of files in flight."""

    def __init__(self, address: str, tasks: list[tuple], workers: int, limits: isolate.Limits,
                 imports: tuple, preload: list[str]):
        self.client, self._cluster = connect(address, workers)
        self._tasks = tasks
        cwd = os.getcwd()
        self._args = (limits, imports, isolate.parser_settings(), preload)
        self._payload = [(*t, cwd) for t in tasks]
        self._futures: dict = {}
        self._batch = uuid.uuid4().hex

    def __iter__(self):
        from distributed import as_completed

        threads = sum(self.client.nthreads().values()) or 1
        ahead = max(MIN_AHEAD, AHEAD_PER_THREAD * threads)
        done: dict[int, tuple] = {}
        pending = as_completed()
        sent = next_out = 0

        def submit_more():
            nonlocal sent
            while sent < len(self._tasks) and sent - next_out < ahead:
                # pure=False: the same file twice in one batch is two tasks, as in the pool.
                # A key of its own per batch: batches from several machines share a scheduler.
                fut = self.client.submit(parse_task, self._payload[sent], *self._args, pure=False,
                                         key=f"parse-{sent}-{self._batch}")
                self._futures[fut.key] = (sent, fut)
                pending.add(fut)
                sent += 1

        submit_more()
        for fut in pending:
            index, _ = self._futures.pop(fut.key)
            done[index] = self._answer(fut, index)
            fut.release()
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            submit_more()

    def _answer(self, fut, index: int) -> tuple:
        from distributed import KilledWorker

        path = self._tasks[index][0]
        try:
            return fut.result()
        except ClusterUnusable as exc:
            raise ClusterUnusable(exc.message) from None
        except KilledWorker:
            return path, None, "集群工作进程多次在处理该文件时退出"
        except Exception as exc:  # a bug on the worker side: this file is refused, the batch goes on
            return path, None, " ".join(f"集群解析出错（{type(exc).__name__}: {exc}）".split())[:300]

    def close(self) -> None:
        """Cancel what is left (an ingest stopped early) and disconnect."""
        try:
            if self._futures:
                self.client.cancel([fut for _, fut in self._futures.values()])
            self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()

