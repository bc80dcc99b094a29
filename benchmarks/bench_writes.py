"""Small writes on a large warehouse: a reviewer's decision, five at once, cell corrections
(entered, seen by an open reader, applied), and a load of 10 new reports, against the old way of writing (copy the whole warehouse file,
change the copy, swap it in).

    PYTHONPATH=src python benchmarks/bench_writes.py --db /tmp/synth-1.0.duckdb [--json out.json]

Build the warehouse once with ``analytics synth --db /tmp/synth-1.0.duckdb --scale 1.0`` (minutes).
The script writes to it (decisions, ten corrections, 10 reports with new agency names a run), so
use a copy you do not need. Every figure is wall time on this machine and is printed with the load
average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import existing_db, pct  # noqa: E402


def _ms(values):
    return {"p50_ms": round(1000 * pct(values, 50), 1), "max_ms": round(1000 * max(values), 1), "n": len(values)}


def old_copy_write(db: str, n: int) -> list[float]:
    """What every decision cost before: a write session (copy, change, checkpoint, fsync, swap)."""
    from analytics.warehouse import write_session

    out = []
    for i in range(n):
        t = time.perf_counter()
        with write_session(db) as con:
            con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('bench_writes', ?)", [str(i)])
        out.append(time.perf_counter() - t)
    return out


def decisions(db: str, fp: str, n: int) -> tuple[list[float], list[float]]:
    """(decision call, the open reader's next query that sees it) for n alternating steps."""
    from analytics.dashboard.db import Reader
    from analytics.warehouse.review import transition

    reader = Reader(db)
    calls, seen = [], []

    def status():
        cur = reader.cursor()
        try:
            rows = cur.execute("SELECT status FROM finding_decisions WHERE fingerprint = ?", [fp]).fetchall()
        finally:
            cur.close()
        return rows[0][0] if rows else "open"

    for _ in range(n):
        target = "dismissed" if status() == "confirmed" else "confirmed"
        t = time.perf_counter()
        transition(db, target, fingerprint=fp, by="基准测试", note="bench")
        calls.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert status() == target
        seen.append(time.perf_counter() - t)
    return calls, seen


FIVE = """
import sys, time
from pathlib import Path
from analytics.warehouse import reviewdb
from analytics.warehouse.review import _reader, transition
db, fp, target, go = sys.argv[1:5]
# a reviewer's session is warm: its process has read the findings and the decisions before
_reader(Path(db)).close()
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.002)
t = time.perf_counter()
s = transition(db, target, fingerprint=fp, by="审核员", note="bench")
print(time.perf_counter() - t)
"""


def five_at_once(db: str, fps: list[str]) -> dict:
    from analytics.warehouse.review import audit_log

    before = len(audit_log(db))
    go = Path(f"{db}.bench-go")
    go.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    from analytics.warehouse import reviewdb

    now = dict(zip(reviewdb.snapshot(db).decisions.column("fingerprint").to_pylist(),
                   reviewdb.snapshot(db).decisions.column("status").to_pylist()))
    targets = ["dismissed" if now.get(fp) == "confirmed" else "confirmed" for fp in fps]
    procs = [subprocess.Popen([sys.executable, "-c", FIVE, db, fp, target, str(go)], env=env,
                              stdout=subprocess.PIPE, text=True) for fp, target in zip(fps, targets)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    t = time.perf_counter()
    go.touch()
    each = [float(p.communicate(timeout=600)[0].strip()) for p in procs]
    wall = time.perf_counter() - t
    go.unlink(missing_ok=True)
    return {"wall_ms": round(1000 * wall, 1), "each": _ms(each), "logged": len(audit_log(db)) - before}


def _timers(targets):
    spent: dict[str, float] = {}
    for mod, name in targets:
        fn = getattr(mod, name)

        @functools.wraps(fn)
        def timed(*a, _fn=fn, _key=f"{name}", **k):
            t = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                spent[_key] = spent.get(_key, 0.0) + time.perf_counter() - t
        setattr(mod, name, timed)
    return spent


def load_ten(db: str) -> dict:
    import analytics.warehouse.loader as loader
    import analytics.warehouse.models as models
    import analytics.warehouse.refresh as refresh
    import analytics.warehouse.store as store
    import analytics.warehouse.checks as checks
    from analytics.warehouse import load_records
    from fixtures.records import make_record

    spent = _timers([(store.shutil, "copyfile"), (loader, "load_into"), (refresh, "refresh"),
                     (checks, "run_checks"), (models, "build_for"), (models, "build"), (store.os, "replace")])
    tag = time.strftime("%H%M%S")
    records = [make_record(f"江苏省淮安市基准{tag}局{i}", 2024) for i in range(10)]
    t, c = time.perf_counter(), time.process_time()
    ids = load_records(db, records)
    total, cpu = time.perf_counter() - t, time.process_time() - c
    return {"seconds": round(total, 2), "cpu_seconds": round(cpu, 2), "loaded": len(ids),
            "phases_s": {k: round(v, 2) for k, v in spent.items()}}


def corrections(db: str, n: int) -> dict:
    """n corrections entered (a review-store write each), the open reader's next query of the
    report page's cells that shows each one, then one warehouse write that applies them all."""
    import analytics.warehouse.refresh as refresh
    import analytics.warehouse.store as store
    from analytics.dashboard import queries
    from analytics.dashboard.db import Reader
    from analytics.warehouse.corrections import apply_pending, record

    reader = Reader(db)
    cur = reader.cursor()
    rids = [r[0] for r in cur.execute("SELECT report_id FROM report_wide WHERE is_current "
                                      "ORDER BY report_id LIMIT ?", [n]).fetchall()]
    cur.close()
    entered, seen = [], []
    for i, rid in enumerate(rids):
        value = 100000 + i
        t = time.perf_counter()
        record(db, rid, "表三", "new_received:total", value, reason="基准测试", by="基准测试")
        entered.append(time.perf_counter() - t)
        t = time.perf_counter()
        cur = reader.cursor()
        try:
            cells = queries.CATALOGUE["report_cells"][0](cur, report_id=rid)
        finally:
            cur.close()
        hit = cells[(cells.tbl == "applications") & (cells.row_key == "new_received") & (cells.col_key == "total")]
        assert float(hit.value.iloc[0]) == value
        seen.append(time.perf_counter() - t)
    spent = _timers([(store.shutil, "copyfile"), (refresh, "refresh"), (store.os, "replace")])
    t, c = time.perf_counter(), time.process_time()
    applied = apply_pending(db)
    apply_s, apply_cpu = time.perf_counter() - t, time.process_time() - c
    assert len(applied) == n
    return {"entered": _ms(entered), "open_reader_sees_it": _ms(seen),
            "apply_all": {"seconds": round(apply_s, 2), "cpu_seconds": round(apply_cpu, 2), "applied": len(applied),
                          "phases_s": {k: round(v, 2) for k, v in spent.items()}}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=20, help="decisions to time")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    db = existing_db(a.db)
    from analytics.warehouse import connect_read

    t = time.perf_counter()
    con = connect_read(db)  # upgrades an older warehouse once (and moves its decisions out)
    upgrade = time.perf_counter() - t
    n_reports = con.execute("SELECT count(*) FROM reports").fetchall()[0][0]
    fps = [r[0] for r in con.execute("SELECT fingerprint FROM findings ORDER BY fingerprint LIMIT 6").fetchall()]
    con.close()
    result = {"reports": n_reports, "file_mb": round(os.path.getsize(db) / 2**20), "open_or_upgrade_s": round(upgrade, 2),
              "load_average_start": os.getloadavg()}
    old = old_copy_write(db, 3)
    result["old_copy_write"] = _ms(old)
    calls, seen = decisions(db, fps[0], a.n)
    result["decision"] = _ms(calls)
    result["open_reader_sees_it"] = _ms(seen)
    result["decision_ratio_to_old"] = round(pct(old, 50) / pct(calls, 50), 1)
    result["five_at_once"] = five_at_once(db, fps[1:6])
    result["load_10_reports"] = load_ten(db)
    result["corrections"] = corrections(db, 10)
    result["load_average_end"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if a.json:
        Path(a.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
