"""The review store beside the warehouse, with real processes on real files: reviewers deciding at
once, a reader that stays open seeing a decision at its next query, SIGKILL in the middle of a
decision and between a warehouse publish and the review steps it decided, and the warehouse file
never copied nor changed by a decision."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.warehouse import connect_read, load_records, reviewdb
from analytics.warehouse.findings import list_findings
from analytics.warehouse.review import audit_log, history, transition
from fixtures.records import fresh_warehouse, make_record

TESTS = Path(__file__).parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent / "src"), str(TESTS),
                                                    os.environ.get("PYTHONPATH", "")])}
AGENCIES = [f"江苏省淮安市第{i}局" for i in range(5)]


def broken(agency: str, extra: str = "") -> dict:
    """A report with one T4_GROUP_SUM finding (table 4's review total 0, its parts 3)."""
    r = make_record(agency, 2023, source={"path": f"{agency}.pdf"})
    r["review_litigation"]["review"]["total"] = 0
    r["sections"]["other_matters"] += extra
    return r


def fp_of(agency: str) -> str:
    return f"T4_GROUP_SUM|{agency}|2023|review"


@pytest.fixture
def db(tmp_path) -> str:
    path = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(path, [broken(a) for a in AGENCIES])
    return path


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


DECIDER = """
import sys, time
from pathlib import Path
from analytics.errors import ReportError
from analytics.warehouse.review import transition
db, fp, who, go = sys.argv[1:5]
while not Path(go).exists():
    time.sleep(0.005)
try:
    transition(db, "confirmed", fingerprint=fp, by=who, note="同时确认")
    print("changed")
except ReportError as exc:
    print("refused", exc)
"""


def _at_once(db, tmp_path, fps, names) -> list[str]:
    go = tmp_path / f"go-{names[0]}"
    procs = [subprocess.Popen([sys.executable, "-c", DECIDER, db, fp, who, str(go)], env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for fp, who in zip(fps, names)]
    time.sleep(1.0)  # every process imported and waiting
    go.touch()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outs.append(out.strip())
    return outs


def test_five_reviewers_deciding_at_once_all_land_in_the_log(db, tmp_path):
    before = sha(db)
    names = [f"审核员{i}" for i in range(5)]
    outs = _at_once(db, tmp_path, [fp_of(a) for a in AGENCIES], names)
    assert outs == ["changed"] * 5
    log = audit_log(db)
    assert sorted((r[1], r[7]) for r in log) == sorted(zip(map(fp_of, AGENCIES), names))
    assert [r[0] for r in log] == sorted(r[0] for r in log) and len({r[0] for r in log}) == 5
    assert {r[0]: r[7] for r in list_findings(db)} == {fp_of(a): "confirmed" for a in AGENCIES}
    assert sha(db) == before  # the warehouse file was neither copied over nor changed


def test_five_reviewers_on_one_finding_make_exactly_one_step(db, tmp_path):
    outs = _at_once(db, tmp_path, [fp_of(AGENCIES[0])] * 5, [f"审核员{i}" for i in range(5)])
    assert sorted(o.split(" ")[0] for o in outs) == ["changed"] + ["refused"] * 4
    assert all("已是“已确认”" in o for o in outs if o.startswith("refused"))
    assert [(r[1], r[2]) for r in history(db, fp_of(AGENCIES[0]))] == [("open", "confirmed")]


def test_an_open_reader_sees_a_decision_at_its_next_query_within_200_ms(db):
    from analytics.dashboard import queries
    from analytics.dashboard.db import Reader
    from analytics.dashboard import filters

    reader = Reader(db)  # the app's shared connection, opened before the decision
    params = filters.example(year_from=2000, year_to=2100) | {"rules": [], "severities": [], "status": "all",
                                                              "limit": 50}

    def statuses():
        cur = reader.cursor()
        try:
            found = queries.findings_list(cur, **params)
        finally:
            cur.close()
        return dict(zip(found["fingerprint"], found["status"]))

    assert set(statuses().values()) == {"open"}
    fp = fp_of(AGENCIES[2])
    r = subprocess.run([sys.executable, "-m", "analytics.cli", "findings", "dismiss", fp, "--note", "印刷错误",
                        "--by", "王审核", "--db", db], env=ENV, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    start = time.perf_counter()
    seen = statuses()  # the first query after the decision process has exited
    took = time.perf_counter() - start
    assert seen[fp] == "dismissed" and sum(s == "open" for s in seen.values()) == 4
    assert took < 0.2, f"the next query took {took * 1000:.0f} ms"


KILLED_IN_STEP = """
import os, signal, sys
from pathlib import Path
from analytics.warehouse import reviewdb
from analytics.warehouse.review import transition
real = reviewdb.apply_steps
def dying(con, rows, at):
    real(con, rows[:2], at)          # two steps written inside the open transaction ...
    Path(sys.argv[2]).touch()
    os.kill(os.getpid(), signal.SIGKILL)   # ... and the process dies before COMMIT
reviewdb.apply_steps = dying
transition(sys.argv[1], "confirmed", rule="T4_GROUP_SUM", by="张三", note="批量确认")
"""


def _store_consistent(db) -> list[tuple]:
    """Every decision is the last logged step of its finding; the file passes SQLite's check."""
    con = sqlite3.connect(reviewdb.store_path(db))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        decisions = dict(con.execute("SELECT fingerprint, status FROM finding_decisions").fetchall())
        last = {fp: to for fp, to in con.execute(
            "SELECT fingerprint, to_status FROM finding_decision_log ORDER BY log_id").fetchall()}
        assert decisions == last
        return con.execute("SELECT fingerprint, to_status, actor FROM finding_decision_log ORDER BY log_id").fetchall()
    finally:
        con.close()


def test_sigkill_during_a_decision_leaves_both_stores_consistent(db, tmp_path):
    transition(db, "dismissed", fingerprint=fp_of(AGENCIES[4]), by="王审核")
    before_wh, before_log = sha(db), _store_consistent(db)
    marker = tmp_path / "in-step"
    r = subprocess.run([sys.executable, "-c", KILLED_IN_STEP, db, str(marker)], env=ENV, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL and marker.exists(), r.stderr
    assert sha(db) == before_wh
    assert _store_consistent(db) == before_log  # none of the killed step's rows survived
    # the same step made again goes through whole
    out = transition(db, "confirmed", rule="T4_GROUP_SUM", by="张三", note="批量确认")
    assert sorted(out.changed) == sorted(fp_of(a) for a in AGENCIES) and out.skipped == {}  # 已驳回 → 已确认 too
    assert len(_store_consistent(db)) == len(before_log) + 5


def test_sigkill_between_publish_and_review_sync_is_caught_up_by_the_next_writer(db, tmp_path):
    agency = AGENCIES[1]
    transition(db, "confirmed", fingerprint=fp_of(agency), by="王审核")
    fixed = make_record(agency, 2023, source={"path": f"{agency}（更正）.pdf"})
    fixed["sections"]["other_matters"] += "（更正版）"
    script = f"""
import os, signal, sys, json
from analytics.warehouse import load_records, reviewdb
def dying(db):
    os.kill(os.getpid(), signal.SIGKILL)   # the warehouse is published, the review store not yet told
reviewdb.sync_outbox = dying
load_records(sys.argv[1], [json.loads(sys.argv[2])])
"""
    r = subprocess.run([sys.executable, "-c", script, db, json.dumps(fixed, ensure_ascii=False)], env=ENV,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr
    con = connect_read(db)
    try:  # the corrected report is published; the review store has not heard of it
        assert con.execute("SELECT count(*) FROM reports WHERE agency_id = ?", [agency]).fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM review_outbox WHERE kind = 'step'").fetchone()[0] == 1
    finally:
        con.close()
    assert [r[2] for r in history(db, fp_of(agency))] == ["confirmed"]
    assert reviewdb.pending(db)
    # the next write of either store applies it, once
    transition(db, "confirmed", fingerprint=fp_of(AGENCIES[0]), by="李四")
    steps = history(db, fp_of(agency))
    assert [(s[1], s[2], s[3]) for s in steps] == [("open", "confirmed", "王审核"), ("confirmed", "rectified", "system")]
    assert "已更正重发" in steps[-1][4]
    assert not reviewdb.pending(db)
    load_records(db, [make_record("江苏省淮安市另一局", 2023)])
    assert len(history(db, fp_of(agency))) == 2
    _store_consistent(db)


def test_a_decision_does_not_copy_the_warehouse(db):
    st = os.stat(db)
    transition(db, "confirmed", fingerprint=fp_of(AGENCIES[3]), by="王审核")
    after = os.stat(db)
    assert (after.st_ino, after.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)
    assert not Path(f"{db}.writing").exists()
