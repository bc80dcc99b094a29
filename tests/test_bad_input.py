"""Bad input through the real command line, the upload library and page, and a real ingest.

Every file of ``fixtures.bad_inputs`` goes through ``analytics parse`` as a subprocess (exit code 2,
one stderr line naming the file and the reason, no traceback), through ``uploads.accept`` (the same
reason), and, together with good reports, through ``analytics ingest`` into a warehouse that
already holds reports: each bad file is logged as refused with that reason, the good ones load, and
nothing loaded before is lost or changed. Shifted table 3 rows may load, but never silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

import analytics.parsing as parsing
from analytics.dashboard import uploads
from analytics.dashboard.safe_text import md
from analytics.errors import ReportError
from fixtures.corpus import REAL
from fixtures.bad_inputs import BAD_INPUTS, TEST_MAX_BYTES, BadInput
from robustness_plugin import tally

ANALYTICS = str(Path(sys.executable).with_name("analytics"))
FIRST_BATCH = ["平潭综合实验区管委会_2021.txt", "上海市人民政府办公厅_2019.html"]
SECOND_BATCH = ["平潭综合实验区管委会_2023.txt", "高新区_2021.txt"]
REFUSED = [b for b in BAD_INPUTS if b.reasons is not None]
FLAGGED = [b for b in BAD_INPUTS if b.reasons is None]


def _env(**extra) -> dict:
    env = dict(os.environ, ANALYTICS_MAX_BYTES=str(TEST_MAX_BYTES), PYTHONWARNINGS="ignore", **extra)
    env.pop("ANALYTICS_DB", None)
    return env


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([ANALYTICS, *args], capture_output=True, text=True, timeout=timeout, env=env or _env())


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for case in BAD_INPUTS:
        (folder / case.name).write_bytes(case.build())
    return folder


@pytest.fixture(scope="module")
def cli_runs(bad_dir) -> dict[str, subprocess.CompletedProcess]:
    """``analytics parse`` on every bad file, a few subprocesses at a time."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = pool.map(lambda c: (c.name, _cli("parse", str(bad_dir / c.name))), BAD_INPUTS)
        return dict(runs)


def _expected_error(case: BadInput, data: bytes, monkeypatch) -> ReportError | None:
    """The library's own verdict on the bytes, under the same size limit as the subprocesses."""
    monkeypatch.setattr(parsing, "MAX_BYTES", TEST_MAX_BYTES)
    try:
        parsing.parse_bytes(data, case.name)
    except ReportError as exc:
        return exc
    return None


@pytest.mark.parametrize("case", REFUSED, ids=[c.kind for c in REFUSED])
def test_cli_refuses_with_one_clear_line(case, bad_dir, cli_runs, monkeypatch):
    path = bad_dir / case.name
    run = cli_runs[case.name]
    err = _expected_error(case, path.read_bytes(), monkeypatch)
    assert err is not None, f"{case.kind} was read as a report"
    assert err.reason in case.reasons, f"{case.kind}: refused as {err.reason}, expected one of {case.reasons}"
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and len(lines) == 1, run.stderr
    assert lines[0] == f"analytics parse: {path}: {err.message}"
    assert run.stdout == ""
    tally(case.kind, "refused (exit 2)")


@pytest.mark.parametrize("case", FLAGGED, ids=[c.kind for c in FLAGGED])
def test_cli_reads_shifted_table_with_warnings_or_refuses(case, bad_dir, cli_runs):
    run = cli_runs[case.name]
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 2), run.stderr
    if run.returncode == 2:
        assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("case", REFUSED, ids=[c.kind for c in REFUSED])
def test_upload_gives_the_same_reason(case, bad_dir, tmp_path, monkeypatch):
    data = (bad_dir / case.name).read_bytes()
    err = _expected_error(case, data, monkeypatch)
    up = uploads.accept(case.name, data, folder=tmp_path, max_mb=1)
    assert up.record is None
    assert up.error == err.message
    assert all(p.parent == tmp_path for p in tmp_path.iterdir())
    tally(case.kind, "refused (upload)")


def test_upload_over_the_page_limit_is_refused_before_parsing(tmp_path):
    up = uploads.accept("big.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024), folder=tmp_path, max_mb=1)
    assert up.record is None and "上限" in up.error
    assert list(tmp_path.iterdir()) == []  # nothing stored
    tally("over the upload page limit", "refused (upload)")


def test_upload_page_shows_each_refusal(bad_dir, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "wh.duckdb"))
    monkeypatch.setattr(parsing, "MAX_BYTES", TEST_MAX_BYTES)
    chosen = [c for c in REFUSED if c.kind in ("empty file", "encrypted PDF", "notice", "Big5 text",
                                               "zip bomb .docx", "random bytes .pdf")]
    files = [(c.name, (bad_dir / c.name).read_bytes(), "application/octet-stream") for c in chosen]
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    at.file_uploader(key="up_files").set_value(files)
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    for c, (_, data, _) in zip(chosen, files):
        err = _expected_error(c, data, monkeypatch)
        assert f"{md(c.name)}：{md(err.message)}" in shown  # as Markdown source
        tally(c.kind, "refused (upload page)")
    # nothing can be loaded from this batch; the import button records the refusals in the log
    button = next(b for b in at.button if b.label.startswith("导入"))
    assert button.label.startswith("导入 0 份报告") and f"{len(chosen)} 份拒收文件" in button.label
    button.click()
    at.run()
    assert not at.exception, at.exception
    logged = _db_rows(tmp_path / "wh.duckdb", "SELECT path, status, reason FROM ingest_log ORDER BY path")
    assert sorted(p for p, _, _ in logged) == sorted(f"upload:{c.name}" for c in chosen)
    assert {s for _, s, _ in logged} == {"refused"} and all(r for _, _, r in logged)
    assert _db_rows(tmp_path / "wh.duckdb", "SELECT count(*) FROM reports") == [(0,)]


def _db_rows(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(bad_dir, tmp_path_factory):
    """A warehouse with a first batch of good reports, then a mixed batch of bad and good files."""
    root = tmp_path_factory.mktemp("ingest")
    db = root / "wh.duckdb"
    first = root / "first"
    first.mkdir()
    for name in FIRST_BATCH:
        shutil.copy(REAL / name, first / name)
    run1 = _cli("ingest", str(first), "--db", str(db), "--quiet")
    assert run1.returncode == 0, run1.stderr
    before = _db_rows(db, "SELECT report_id, agency_id, year, n_cells FROM reports ORDER BY report_id")
    cells_before = _db_rows(db, "SELECT report_id, tbl, row_key, col_key, value FROM cells ORDER BY ALL")
    mixed = root / "mixed"
    shutil.copytree(bad_dir, mixed)
    for name in SECOND_BATCH:
        shutil.copy(REAL / name, mixed / name)
    run2 = _cli("ingest", str(mixed), "--db", str(db), "--quiet")
    return {"db": db, "mixed": mixed, "run": run2, "before": before, "cells_before": cells_before}


def test_ingest_logs_every_refusal_and_loads_the_rest(ingested, monkeypatch):
    run, db, mixed = ingested["run"], ingested["db"], ingested["mixed"]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    batch = _db_rows(db, "SELECT max(batch_id) FROM ingest_log")[0][0]
    log = {Path(p).name: (status, reason) for p, status, reason in
           _db_rows(db, "SELECT path, status, reason FROM ingest_log WHERE batch_id = ?", [batch])}
    for case in REFUSED:
        status, reason = log[case.name]
        err = _expected_error(case, (mixed / case.name).read_bytes(), monkeypatch)
        assert status == "refused", f"{case.kind}: {status}"
        assert reason == " ".join(err.message.split())
        assert f"拒绝 {mixed / case.name}: {reason}" in run.stdout
        tally(case.kind, "refused (ingest log)")
    for name in SECOND_BATCH:
        assert log[name][0] in ("loaded", "loaded_with_warnings"), log[name]
    loaded = _db_rows(db, "SELECT count(*) FROM reports WHERE batch_id = ?", [batch])[0][0]
    assert loaded == len(SECOND_BATCH) + sum(1 for c in FLAGGED if log[c.name][0] != "refused")


def test_ingest_loses_nothing_already_loaded(ingested):
    db = ingested["db"]
    ids = [r[0] for r in ingested["before"]]
    now = _db_rows(db, f"SELECT report_id, agency_id, year, n_cells FROM reports WHERE report_id IN "
                       f"({','.join('?' * len(ids))}) ORDER BY report_id", ids)
    assert now == ingested["before"]
    cells = _db_rows(db, f"SELECT report_id, tbl, row_key, col_key, value FROM cells WHERE report_id IN "
                         f"({','.join('?' * len(ids))}) ORDER BY ALL", ids)
    assert cells == ingested["cells_before"]
    current = _db_rows(db, "SELECT count(*) FROM reports WHERE is_current")[0][0]
    assert current >= len(FIRST_BATCH) + len(SECOND_BATCH)
    tally("good reports beside bad ones", "kept", len(FIRST_BATCH) + len(SECOND_BATCH))


@pytest.mark.parametrize("case", FLAGGED, ids=[c.kind for c in FLAGGED])
def test_shifted_table_never_loads_silently(case, ingested):
    db = ingested["db"]
    row = _db_rows(db, "SELECT l.status, l.report_id, r.n_warnings FROM ingest_log l "
                       "LEFT JOIN reports r USING (report_id) WHERE l.path LIKE ? ORDER BY l.batch_id DESC",
                   [f"%{case.name}"])[0]
    status, report_id, n_warnings = row
    if status == "refused":
        tally(case.kind, "refused (ingest log)")
        return
    findings = _db_rows(db, "SELECT rule, message FROM findings WHERE report_id = ? AND severity = 'error'",
                        [report_id])
    assert n_warnings or findings, f"{case.kind} loaded without a warning or a finding"
    tally(case.kind, "flagged (warnings/findings)")


def test_cli_json_of_shifted_table_names_the_problem(bad_dir):
    """The shifted-left table loses cells the parser can see: it says so in ``warnings``."""
    case = next(c for c in FLAGGED if "left" in c.kind)
    run = _cli("parse", str(bad_dir / case.name), "--json")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["warnings"], "shifted cells read without any warning"
    for key in ("new_received", "granted", "total_processed"):  # the rows the builder slid left
        assert any(key in w["message"] for w in record["warnings"]), f"{key} shifted without a warning"
