"""``analytics ingest --cluster``: parsing on a real local Dask cluster of two worker processes
loads exactly what the plain ingest loads, a bomb on a cluster worker refuses only its file, a
worker killed mid-batch loses nothing, and an unreachable scheduler is one line and exit 2."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import analytics
from analytics.cli import main
from analytics.parsing import isolate
from analytics.warehouse.ingest import collect, ingest
from fixtures import bombs
from fixtures.corpus import documents
from fixtures.ocr_images import scanned_pdf
from test_ingest_workers import _content

pytestmark = pytest.mark.slow

GOOD = ["平潭综合实验区管委会_2021.txt", "上海市人民政府办公厅_2019.html", "平潭综合实验区管委会_2023_网页.html",
        "淮安市洪泽区人民政府_2023.pdf", "平潭综合实验区管委会_2018_旧格式.txt"]
BOMB_MB = 200  # the docx bomb reaches it in seconds; the good files need far less


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster on this machine: a scheduler and two worker processes (each under a
    nanny, which starts a new one when a worker dies)."""
    import dask
    from distributed import Client, LocalCluster

    # Not daemonic (their parse children are supervised processes); the nanny reads this again
    # when it starts a new worker, so it holds for the whole module.
    with dask.config.set({"distributed.worker.daemon": False}):
        local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                             silence_logs=logging.CRITICAL)
        client = Client(local)
        client.wait_for_workers(2)
        yield local, client
        client.close()
        local.close()


def _folder(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in documents():
        if p.name in GOOD:
            shutil.copy(p, folder / p.name)
    for name, data in extra.items():
        (folder / name).write_bytes(data)
    return folder


def test_cluster_ingest_loads_the_same_warehouse_and_a_bomb_refuses_only_its_file(cluster, tmp_path, capsys):
    local, _ = cluster
    folder = _folder(tmp_path, {"xml.docx": bombs.docx_of_xml(15)})
    limits = isolate.Limits(BOMB_MB, 60)
    args = ["ingest", str(folder), "--parse-memory-mb", str(BOMB_MB), "--parse-timeout", "60", "--quiet"]
    # The plain ingest as a command of its own: a fork server this test process started earlier
    # (with another preload) would make its workers import more under the low memory cap.
    src = str(Path(analytics.__file__).parents[1])
    plain = subprocess.run([sys.executable, "-m", "analytics.cli", *args, "--db", str(tmp_path / "plain.duckdb")],
                           env=dict(os.environ, PYTHONPATH=src), capture_output=True, text=True, timeout=600)
    assert plain.returncode == 0, plain.stderr
    db = tmp_path / "cluster.duckdb"
    code = main([*args, "--db", str(db), "--cluster", local.scheduler_address])
    out = capsys.readouterr().out
    assert code == 0
    assert _content(db, folder) == _content(tmp_path / "plain.duckdb", folder)
    # The bomb was refused for its memory on a cluster worker, and the other files loaded.
    refusal = f"拒绝 {folder / 'xml.docx'}: {limits.reason('memory')}"
    assert refusal in out and refusal in plain.stdout
    assert "载入 4 份" in out


def _worker_pids(client) -> dict[str, int]:
    return client.run(os.getpid)


def _holder(client, prefix: str, timeout_s: float = 120) -> tuple[str, str]:
    """``(worker, key)``: the worker the scheduler has given the task whose key starts with
    ``prefix``."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        for worker, keys in client.processing().items():
            for key in keys:
                if str(key).startswith(prefix):
                    return worker, str(key)
        time.sleep(0.02)
    raise AssertionError(f"no worker took {prefix}")


def test_a_cluster_worker_killed_mid_batch_loses_nothing(cluster, tmp_path):
    local, client = cluster
    # A scanned page: an OCR job of seconds, long enough to kill its worker while it runs.
    pdf = next(p for p in documents(".pdf") if p.name.endswith("2024.pdf"))
    folder = _folder(tmp_path, {"扫描件.pdf": scanned_pdf(pdf, 150, pages=(1,), jpeg=85)})
    ingest([folder], db=tmp_path / "plain.duckdb", progress=False)
    expected = _content(tmp_path / "plain.duckdb", folder)

    scan = [str(f) for f in collect([folder])].index(str(folder / "扫描件.pdf"))
    db = tmp_path / "cluster.duckdb"
    pids = _worker_pids(client)
    outcome: dict = {}

    def run():
        try:
            outcome["summary"] = ingest([folder], db=db, cluster=local.scheduler_address, progress=False)
        except BaseException as exc:  # re-raised below, in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    victim, key = _holder(client, f"parse-{scan}-")
    time.sleep(0.5)  # into the OCR job (it takes seconds)
    assert thread.is_alive()
    os.kill(pids[victim], signal.SIGKILL)
    thread.join(300)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    assert _content(db, folder) == expected
    # The killed worker's OCR job was given to a worker again and finished there.
    finishes = client.run_on_scheduler(lambda dask_scheduler: [t[2] for t in dask_scheduler.story(key)])
    assert finishes.count("processing") >= 2 and "memory" in finishes, finishes


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    db = tmp_path / "w.duckdb"
    code = main(["ingest", str(documents(".txt")[0]), "--db", str(db), "--cluster", f"tcp://127.0.0.1:{port}",
                 "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [f"analytics ingest: 无法连接集群调度器 tcp://127.0.0.1:{port}（连接被拒绝：该地址上没有调度器在监听）"]
    assert not db.exists()  # nothing was written
