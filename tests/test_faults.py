"""Faults of the machine, not of the documents: a read-only warehouse folder, a full disk, a
closed stdout pipe, another writer holding the lock, links that lead out of an ingested folder.

Everything is real: tmpfs mounts, mode bits, DuckDB files, subprocesses, pipes and an ``flock``
held by another process. Each fault must end as one Chinese line (exit 2 on the command line,
``st.error`` on a page), leave the published warehouse byte-identical and leave no scratch file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.dashboard.safe_text import md
from analytics.warehouse.findings import list_findings
from analytics.warehouse.ingest import ingest
from fixtures import fs_faults
from robustness_plugin import tally

TESTS = Path(__file__).parent
from fixtures.corpus import REAL as CORPUS
SRC = TESTS.parent / "src"
REPORTS = [CORPUS / "平潭综合实验区管委会_2019.txt", CORPUS / "平潭综合实验区管委会_2021.txt"]
NEW_REPORT = CORPUS / "上海市科学技术委员会_2024.md"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS), os.environ.get("PYTHONPATH", "")])}
ENV.pop("ANALYTICS_WRITE_TIMEOUT", None)


def cli(*args, prefix=(), env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "analytics.cli", *map(str, args)], env=env or ENV,
                          capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, str]:
    """A small warehouse with two reports and their findings, and one finding's fingerprint."""
    db = tmp_path_factory.mktemp("faults") / "w.duckdb"
    ingest(REPORTS, db=db, progress=False)
    return db, list_findings(db)[0][0]


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _state(db: Path) -> tuple[str, list[str]]:
    """The published file's hash and what lies beside it (the filler of a full disk aside)."""
    return _sha(db), sorted(n for n in os.listdir(db.parent) if n != "filler.bin")


def _place(base_db: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    db = folder / "w.duckdb"
    shutil.copyfile(base_db, db)
    Path(f"{db}.lock").touch()  # as any warehouse that was written once has
    return db


FAULTS = {
    # name: (reason the line must give, how the fault is made)
    "folder read-only (tmpfs remounted ro)": "目录只读",
    "folder read-only (mode 0555)": "无写入权限",
    "disk full (the copy does not fit)": "磁盘空间不足",
    "disk full (the copy fits, nothing more)": "磁盘空间不足",
}


@contextlib.contextmanager
def faulty_folder(fault: str, base_db: Path, tmp_path: Path, leave: int | None = None):
    """``(db, command prefix)`` with the warehouse in a folder that has ``fault``."""
    if fault == "folder read-only (mode 0555)":
        prefix, why = fs_faults.unprivileged_prefix()
        if why:
            pytest.skip(why)
        folder = tmp_path / "ro"
        db = _place(base_db, folder)
        os.chmod(folder, 0o555)
        try:
            yield db, prefix
        finally:
            os.chmod(folder, 0o755)
        return
    folder = tmp_path / "mnt"
    size = "16m" if "fits" in fault else "8m"
    why = fs_faults.mount_tmpfs(folder, size)
    if why:
        pytest.skip(f"{why}: a tmpfs is how this test makes a {fault.split(' (')[0]}")
    try:
        db = _place(base_db, folder)
        if "read-only" in fault:
            why = fs_faults.remount_read_only(folder)
            if why:
                pytest.skip(why)
        elif leave is not None:
            fs_faults.fill(folder, leave=leave)
        elif "does not fit" in fault:
            fs_faults.fill(folder, leave=db.stat().st_size // 2)
        else:
            page = os.statvfs(folder).f_frsize
            fs_faults.fill(folder, leave=-(-db.stat().st_size // page) * page)
        yield db, []
    finally:
        fs_faults.unmount(folder)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_refused_write_is_one_line_and_changes_nothing(fault, base, tmp_path):
    base_db, fingerprint = base
    with faulty_folder(fault, base_db, tmp_path) as (db, prefix):
        before = _state(db)
        for args in (["ingest", NEW_REPORT, "--quiet"], ["check"]):
            r = cli(*args, "--db", db, prefix=prefix)
            lines = r.stderr.strip().splitlines()
            assert r.returncode == 2, r.stderr
            assert len(lines) == 1, r.stderr
            assert lines[0].startswith(f"analytics {args[0]}: 无法写入数据仓库 {db}：{FAULTS[fault]}（"), lines[0]
            assert _state(db) == before, f"{args[0]} changed the folder"
        tally(f"warehouse {fault}", "one line, exit 2, warehouse unchanged", 2)


# A decision is a few KB in the review store beside the warehouse (no copy of the warehouse), so
# a disk with room for a copy takes it; the faults for it are a read-only folder and a disk with
# no room left at all.
DECISION_FAULTS = {k: v for k, v in FAULTS.items() if "read-only" in k} | {"disk full (nothing left)": "磁盘空间不足"}


@pytest.mark.parametrize("fault", list(DECISION_FAULTS))
def test_a_refused_decision_is_one_line_and_changes_nothing(fault, base, tmp_path):
    base_db, fingerprint = base
    leave = 0 if "nothing left" in fault else None
    with faulty_folder(fault, base_db, tmp_path, leave=leave) as (db, prefix):
        before = _state(db)
        r = cli("findings", "confirm", fingerprint, "--note", "核对", "--db", db, prefix=prefix)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2, r.stderr
        assert len(lines) == 1, r.stderr
        assert lines[0].startswith(f"analytics findings: 无法写入数据仓库 {db}：{DECISION_FAULTS[fault]}（"), lines[0]
        assert _state(db) == before, "the decision left a file behind"
    tally(f"decision, {fault}", "one line, exit 2, nothing changed")


def test_the_next_writer_removes_what_a_killed_writer_left(base, tmp_path):
    base_db, fingerprint = base
    db = _place(base_db, tmp_path / "wh")
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal, sys\n"
        "from analytics.warehouse import write_session\n"
        "with write_session(sys.argv[1]) as con:\n"
        "    con.execute('CREATE TABLE scratch AS SELECT range AS i FROM range(2000000)')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"), db], env=ENV, capture_output=True, timeout=120)
    assert killed.returncode == -9
    assert Path(f"{db}.writing").exists()
    Path(f"{db}.writing.tmp").mkdir(exist_ok=True)  # where a killed writer spills
    (Path(f"{db}.writing.tmp") / "spill.block").write_bytes(b"\0" * 4096)
    r = cli("check", "--db", db)
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(db.parent)) == ["w.duckdb", "w.duckdb.lock"]
    tally("scratch files of a killed writer", "removed by the next writer")


# -- a closed stdout pipe ------------------------------------------------------------------------

def test_parse_into_head_ends_quietly():
    """``analytics parse X --json | head -c 10``: a pipe smaller than the output, read for ten
    bytes and closed, so the writer meets the closed pipe whatever the timing."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([sys.executable, "-m", "analytics.cli", "parse", str(NEW_REPORT), "--json"],
                            stdout=write_end, stderr=subprocess.PIPE, env=ENV, text=True)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        head = fh.read(10)
    _, err = proc.communicate(timeout=120)
    assert head.startswith(b"{")
    assert err == "" and proc.returncode == 141
    tally("stdout closed early (| head)", "quiet exit 141")


def test_findings_into_a_closed_pipe_ends_quietly(base):
    base_db, _ = base
    read_end, write_end = os.pipe()
    os.close(read_end)  # like ``| head -0``: gone before the first line
    proc = subprocess.run([sys.executable, "-m", "analytics.cli", "findings", "--db", str(base_db)],
                          stdout=write_end, stderr=subprocess.PIPE, env=ENV, text=True, timeout=120)
    os.close(write_end)
    assert proc.stderr == "" and proc.returncode == 141
    tally("stdout closed early (| head)", "quiet exit 141")


def test_stdout_on_a_full_device_is_one_line():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "analytics.cli", "parse", str(NEW_REPORT), "--json"],
                           stdout=full, stderr=subprocess.PIPE, env=ENV, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["analytics parse: 无法写入：磁盘空间不足（No space left on device）"]
    tally("stdout on a full device (/dev/full)", "one line, exit 2")


# -- another writer holds the lock ---------------------------------------------------------------

HOLDER = """
import fcntl, sys, time
from pathlib import Path
fh = open(sys.argv[1] + ".lock", "a+")
fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
release = Path(sys.argv[2])
while not release.exists():
    time.sleep(0.05)
"""


# The review store's write lock, held the way a reviewer's step holds it (SQLite BEGIN IMMEDIATE).
REVIEW_HOLDER = """
import sys, time
from pathlib import Path
from analytics.warehouse import reviewdb
with reviewdb.writing(sys.argv[1]):
    print("held", flush=True)
    release = Path(sys.argv[2])
    while not release.exists():
        time.sleep(0.05)
"""


@contextlib.contextmanager
def lock_held(db: Path, release: Path, script: str = HOLDER):
    holder = subprocess.Popen([sys.executable, "-c", script, str(db), str(release)], stdout=subprocess.PIPE,
                              text=True, env=ENV)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        release.touch()
        holder.wait(timeout=30)


WAIT_LINE = "等待另一个写入任务完成（"


def test_a_waiting_writer_says_so_once_and_gives_up_after_the_timeout(base, tmp_path):
    base_db, fingerprint = base
    db = _place(base_db, tmp_path / "wh")
    before = _state(db)
    with lock_held(db, tmp_path / "release"):
        start = time.monotonic()
        r = cli("check", "--db", db, env={**ENV, "ANALYTICS_WRITE_TIMEOUT": "2"})
        took = time.monotonic() - start
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, r.stderr
    assert len(lines) == 2 and lines[0].startswith(WAIT_LINE) and lines[0].endswith("…"), lines
    assert lines[1].startswith("analytics check: 另一个写入任务仍在进行，已等待 2 秒"), lines
    assert took >= 2
    assert _state(db) == before
    tally("writer lock held by another process", "said it waits, gave up after the timeout")


def test_a_decision_waits_for_another_reviewer_not_for_the_warehouse_writer(base, tmp_path):
    base_db, fingerprint = base
    db = _place(base_db, tmp_path / "wh")
    with lock_held(db, tmp_path / "release-wh"):  # an ingest holding the warehouse for minutes
        r = cli("findings", "confirm", fingerprint, "--db", db, env={**ENV, "ANALYTICS_WRITE_TIMEOUT": "2"})
        assert r.returncode == 0 and r.stderr == "", r.stderr
    with lock_held(db, tmp_path / "release-rv", REVIEW_HOLDER):  # another reviewer's step, held
        start = time.monotonic()
        r = cli("findings", "decide", fingerprint, "--status", "notified", "--by", "张三", "--db", db,
                env={**ENV, "ANALYTICS_WRITE_TIMEOUT": "2"})
        took = time.monotonic() - start
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, r.stderr
    assert len(lines) == 2 and lines[0].startswith(WAIT_LINE) and lines[0].endswith("…"), lines
    assert lines[1].startswith("analytics findings: 另一个审核写入仍在进行，已等待 2 秒"), lines
    assert took >= 2
    assert list_findings(db, status="confirmed")[0][0] == fingerprint  # the refused step changed nothing
    tally("review store lock held by another process", "said it waits, gave up after the timeout")


def test_a_waiting_writer_goes_on_when_the_lock_is_released(base, tmp_path):
    base_db, fingerprint = base
    db = _place(base_db, tmp_path / "wh")
    release = tmp_path / "release"
    with lock_held(db, release, REVIEW_HOLDER):
        proc = subprocess.Popen([sys.executable, "-m", "analytics.cli", "findings", "confirm", fingerprint,
                                 "--db", str(db)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stderr.readline()  # blocks until the writer says that it waits
        assert first.startswith(WAIT_LINE), first
        release.touch()
        out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, rest
    assert rest == "" and out.startswith("已确认")
    assert list_findings(db, status="confirmed")[0][0] == fingerprint
    tally("writer lock held by another process", "said it waits, wrote once released")


# -- links and paths that lead out of the ingested folder ------------------------------------------

def test_links_and_outside_paths_are_refused_unread(tmp_path):
    """A FIFO blocks whoever opens it for reading, so an ingest that opened one would never end:
    finishing in time shows that the refused paths were not opened at all."""
    outside, folder = tmp_path / "outside", tmp_path / "folder"
    outside.mkdir()
    folder.mkdir()
    os.mkfifo(outside / "secret.txt")
    shutil.copyfile(REPORTS[1], outside / "其他_2021.txt")
    shutil.copyfile(REPORTS[0], folder / "本机关_2019.txt")
    (folder / "链接_2021.txt").symlink_to(outside / "其他_2021.txt")
    (folder / "指向管道.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    db = tmp_path / "w.duckdb"

    r = cli("ingest", folder, "--db", db, "--quiet", timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"拒绝 {folder / '链接_2021.txt'}: {folder / '链接_2021.txt'} 是符号链接（指向 {outside / '其他_2021.txt'}），未读取" \
        in r.stdout
    assert "载入 1 份" in r.stdout  # only the real file; the FIFO link is no regular file to look at

    # Four ways to the FIFO (up and out, absolute, through a linked folder, through a link) and a
    # link to a report outside: the manifest names two files, both outside its folder.
    (folder / "清单.csv").write_text("path,agency\n../outside/secret.txt,甲\n"
                                    f"{outside / 'secret.txt'},乙\nlinked/secret.txt,丙\n指向管道.txt,丁\n"
                                    "链接_2021.txt,戊\n", encoding="utf-8")
    r = cli("ingest", "--manifest", folder / "清单.csv", "--db", db, "--quiet", timeout=120)
    assert r.returncode == 0, r.stderr
    refused = sorted(line for line in r.stdout.splitlines() if line.startswith("  拒绝 "))
    assert refused == sorted(f"  拒绝 {f}: 清单中的路径 {f} 不在清单所在文件夹 {folder} 之内，未读取"
                             for f in (outside / "secret.txt", outside / "其他_2021.txt")), r.stdout

    r = cli("ingest", folder / "指向管道.txt", "--db", db, "--quiet", timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"{folder / '指向管道.txt'} 是符号链接" in r.stdout
    tally("symlinks and manifest paths out of the folder", "refused unread", 4)


# -- the app ------------------------------------------------------------------------------------

APP = str(TESTS.parent / "app.py")


def _page(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _findings_table(at):
    return [d for d in at.dataframe if "指纹" in d.value.columns]


@pytest.fixture(scope="module")
def app_base(tmp_path_factory) -> Path:
    """The sample warehouse the pages are tested on (findings within the default filters)."""
    from fixtures.gold_warehouse import build_warehouse

    return build_warehouse(tmp_path_factory.mktemp("faults-app") / "w.duckdb")


@pytest.fixture
def read_only_warehouse(app_base, tmp_path, monkeypatch):
    folder = tmp_path / "mnt"
    why = fs_faults.mount_tmpfs(folder, "32m")
    if why:
        pytest.skip(f"{why}: a read-only tmpfs is how this test makes a read-only warehouse folder")
    try:
        db = _place(app_base, folder)
        (folder / "uploads").mkdir()
        why = fs_faults.remount_read_only(folder)
        if why:
            pytest.skip(why)
        monkeypatch.setenv("ANALYTICS_DB", str(db))
        monkeypatch.setenv("ANALYTICS_UPLOADS", str(folder / "uploads"))
        yield db
    finally:
        fs_faults.unmount(folder)


def test_a_decision_on_a_read_only_warehouse_is_one_error_line(read_only_warehouse):
    before = _state(read_only_warehouse)
    at = _page("quality")
    assert _findings_table(at)
    at.button(key="q_dismiss").click().run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith(md(f"无法写入数据仓库 {read_only_warehouse}：目录只读")), errors
    assert _findings_table(at), "the findings shown before the click are still shown"
    assert _state(read_only_warehouse) == before
    tally("app decision on a read-only warehouse", "st.error, page kept")


def test_uploads_on_a_read_only_folder_are_one_error_line(read_only_warehouse, tmp_path, monkeypatch):
    before = _state(read_only_warehouse)
    at = _page("upload")
    at.file_uploader(key="up_files").set_value([(NEW_REPORT.name, NEW_REPORT.read_bytes(), "text/markdown")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(md(f"{NEW_REPORT.name}：无法写入 ")) and "目录只读" in errors[0]

    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))  # the upload can be kept now
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert list(at.dataframe[0].value["结果"]) == ["可导入"]
    [b for b in at.button if b.label.startswith("导入")][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert errors == [e for e in errors if "\n" not in e] and len(errors) == 1
    assert errors[0].startswith(md(f"导入失败：无法写入数据仓库 {read_only_warehouse}：目录只读")), errors
    assert list(at.dataframe[0].value["结果"]) == ["可导入"], "the parsed upload is still listed"
    assert _state(read_only_warehouse) == before
    tally("app upload on a read-only folder", "st.error, page kept", 2)


def test_a_decision_behind_another_writer_says_so_and_times_out(app_base, tmp_path, monkeypatch):
    db = _place(app_base, tmp_path / "wh")
    from analytics.warehouse import reviewdb

    with reviewdb.writing(db):
        pass  # the review store exists, as it does once anyone decided
    before = _state(db)
    monkeypatch.setenv("ANALYTICS_DB", str(db))
    monkeypatch.setenv("ANALYTICS_WRITE_TIMEOUT", "1.5")
    at = _page("quality")
    with lock_held(db, tmp_path / "release", REVIEW_HOLDER):  # another reviewer's step, held
        at.button(key="q_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.toast if t.value.startswith(WAIT_LINE)], [t.value for t in at.toast]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(md("另一个审核写入仍在进行，已等待 1.5 秒")), errors
    assert _findings_table(at)
    # SQLite's -wal and -shm live while a connection is open (the page's reader keeps one)
    assert [n for n in _state(db)[1] if not n.endswith(("-wal", "-shm"))] == before[1]
    assert _state(db)[0] == before[0]
    tally("review store lock held by another process", "app said it waits, gave up after the timeout")
