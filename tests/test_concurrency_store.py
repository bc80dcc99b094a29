"""Readers and the writer in separate processes on one real DuckDB file.

A reader must never get a lock error nor see part of a batch; a writer killed with SIGKILL must
leave the published warehouse openable with whole reports only, and the same work run again
must complete.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.warehouse import connect_read
from fixtures.corpus import documents
from fixtures.records import fresh_warehouse

TESTS = Path(__file__).parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
BATCH = 20

WRITER = """
import sys
from analytics.warehouse import load_records
from fixtures.records import make_record
db, batches, size, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
for b in range(batches):
    load_records(db, [make_record(f"江苏省淮安市{tag}第{b}局{i}", 2023) for i in range(size)])
    print("published", b, flush=True)
"""

READER = """
import json, sys, time
from pathlib import Path
from analytics.warehouse import connect_read
db, stop = sys.argv[1], Path(sys.argv[2])
first = connect_read(db)  # held across every swap: must keep its own snapshot
seen, errors = [], []
deadline = time.time() + 120
while not stop.exists() and time.time() < deadline:
    try:
        con = connect_read(db)
        seen.append(con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM report_wide), "
            "(SELECT coalesce(sum(n_cells), 0) FROM reports), (SELECT count(*) FROM cells), "
            "(SELECT count(*) FROM report_metrics)").fetchone())
        con.close()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
held = first.execute("SELECT count(*) FROM reports").fetchone()[0]
print(json.dumps({"seen": seen, "errors": errors, "held": held}))
"""


def test_readers_never_block_nor_see_half_a_batch(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, db, str(stop)], env=ENV, stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)  # the reader is looping before the first write
    writer = subprocess.run([sys.executable, "-c", WRITER, db, "5", str(BATCH), "甲"], env=ENV, capture_output=True,
                            text=True, timeout=300)
    assert writer.returncode == 0, writer.stderr
    time.sleep(0.5)
    stop.touch()
    out, _ = reader.communicate(timeout=120)
    result = json.loads(out)
    assert result["errors"] == []
    assert result["held"] == 0
    seen = result["seen"]
    assert len(seen) > 5
    for n_reports, n_wide, n_cells_declared, n_cells, n_metrics in seen:
        assert n_reports % BATCH == 0, n_reports  # whole batches only
        assert n_wide == n_reports == n_metrics
        assert n_cells == n_cells_declared  # every report with all of its cells
    assert seen[-1][0] == 5 * BATCH
    assert len({s[0] for s in seen}) >= 2  # the reader did watch the warehouse grow


def _wait_for(path: Path, proc, timeout=120):
    deadline = time.time() + timeout
    while not path.exists():
        assert proc.poll() is None, "the writer ended before it started writing"
        assert time.time() < deadline
        time.sleep(0.02)


def _whole(db) -> tuple[int, int]:
    con = connect_read(db)
    try:
        n_reports, declared, n_cells, n_wide = con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT coalesce(sum(n_cells), 0) FROM reports), "
            "(SELECT count(*) FROM cells), (SELECT count(*) FROM report_wide)").fetchone()
    finally:
        con.close()
    assert declared == n_cells and n_wide == n_reports
    return n_reports, n_cells


@pytest.mark.parametrize("delay", [0.05, 0.6])
def test_sigkill_during_load_leaves_whole_reports(tmp_path, delay):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    subprocess.run([sys.executable, "-c", WRITER, db, "1", "10", "甲"], env=ENV, check=True, timeout=300)
    before = _whole(db)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db, "1", "200", "乙"], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(Path(f"{db}.writing"), proc)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _whole(db) == before  # the killed batch is invisible, the earlier one intact
    subprocess.run([sys.executable, "-c", WRITER, db, "1", "200", "乙"], env=ENV, check=True, timeout=300)
    assert _whole(db)[0] == before[0] + 200
    assert not Path(f"{db}.writing").exists()


def test_sigkill_during_ingest_then_the_same_ingest_completes(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    cmd = [sys.executable, "-m", "analytics.cli", "ingest", *map(str, documents()), "--db", db, "--quiet"]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(Path(f"{db}.writing"), proc)
    time.sleep(1.0)  # in the middle of parsing
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert _whole(db) == (0, 0)
    done = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _whole(db)[0] == len(documents()) - 1
    con = connect_read(db)
    assert con.execute("SELECT count(DISTINCT batch_id) FROM ingest_log").fetchone()[0] == 1


def test_a_file_that_is_not_a_warehouse_is_a_report_error(tmp_path):
    from analytics.errors import ReportError
    from analytics.warehouse import load_records

    bogus = tmp_path / "w.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReportError, match="cannot open the warehouse"):
        connect_read(bogus)
    with pytest.raises(ReportError, match="cannot open the warehouse"):
        load_records(bogus, [])
    assert bogus.read_bytes().startswith(b"this is not")  # left as it was


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def test_sigkill_of_a_parallel_ingest_leaves_no_worker_behind(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    cmd = [sys.executable, "-m", "analytics.cli", "ingest", *map(str, documents()), "--db", db, "--quiet",
           "--workers", "2"]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children: set[int] = set()
    deadline = time.time() + 120
    while len(children) < 2 and time.time() < deadline and proc.poll() is None:
        found = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        children.update(int(pid) for pid in found)
        time.sleep(0.1)
    assert children, "no parse workers were started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.time() + 20
    alive = set(children)
    while alive and time.time() < deadline:
        alive = {pid for pid in alive if _running(pid)}
        time.sleep(0.2)
    for pid in alive:  # clean up before failing, so the machine is not left with them
        os.kill(pid, signal.SIGKILL)
    assert not alive
    assert _whole(db) == (0, 0)
