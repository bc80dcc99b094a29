"""``analytics setup``: builds the warehouse of the bundled data once, then returns at once."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

import analytics
from analytics import cli
from analytics.warehouse import connect_read
from fixtures.corpus import REAL



@pytest.fixture()
def real_dir(tmp_path) -> Path:
    folder = tmp_path / "real"
    folder.mkdir()
    for name in ("高新区_2021.txt", "平潭综合实验区管委会_2023_网页.html"):
        shutil.copy(REAL / name, folder / name)
    (folder / "README.md").write_text("# provenance\n\nNot a report.\n", encoding="utf-8")
    return folder


def _setup(capsys, *args) -> tuple[int, str, float]:
    start = time.perf_counter()
    code = cli.main(["setup", "--quiet", *map(str, args)])
    return code, capsys.readouterr().out, time.perf_counter() - start


def _datasets(db: Path) -> dict[str, int]:
    con = connect_read(db)
    try:
        return dict(con.execute("SELECT dataset, count(*) FROM reports GROUP BY dataset").fetchall())
    finally:
        con.close()


def test_setup_loads_real_and_demo_then_reuses_them(tmp_path, real_dir, capsys):
    db, demo = tmp_path / "w.duckdb", tmp_path / "demo"
    args = ["--db", db, "--real-dir", real_dir, "--demo-dir", demo, "--demo-scale", "0.1", "--workers", "2"]
    code, out, _ = _setup(capsys, *args)
    assert code == 0, out
    assert "仓库不存在" in out and "演示语料已生成" in out and "载入演示语料" in out
    summary = json.loads((demo / "summary.json").read_text(encoding="utf-8"))
    assert _datasets(db) == {"real": 2, "demo": summary["documents"]}
    con = connect_read(db)
    try:
        refused = con.execute("SELECT path, reason FROM ingest_log WHERE status = 'refused'").fetchall()
        kinds = dict(con.execute("SELECT kind, count(*) FROM agencies WHERE dataset = 'demo' GROUP BY kind").fetchall())
    finally:
        con.close()
    assert refused == []  # the README beside the real reports is not taken for a report
    assert set(kinds) == {"government", "office", "department", "zone", "township"}
    code, out, seconds = _setup(capsys, *args)
    assert code == 0 and "已是最新" in out
    assert seconds < 3


def test_setup_rebuilds_when_stale(tmp_path, real_dir, capsys):
    db = tmp_path / "w.duckdb"
    args = ["--db", db, "--real-dir", real_dir, "--no-demo", "--workers", "1"]
    assert _setup(capsys, *args)[0] == 0
    assert _datasets(db) == {"real": 2}
    assert "已是最新" in _setup(capsys, *args)[1]

    stamp = Path(f"{db}.setup.json")
    old = json.loads(stamp.read_text(encoding="utf-8"))
    assert old["parser_version"] == analytics.PARSER_VERSION  # the digest of the parser's sources
    stamp.write_text(json.dumps({**old, "parser_version": "0"}), encoding="utf-8")
    out = _setup(capsys, *args)[1]
    assert "解析器版本已变化" in out and "载入data/real: 2 份" in out
    assert json.loads(stamp.read_text(encoding="utf-8")) == old

    shutil.copy(REAL / "平潭综合实验区管委会_2021_网页.html", real_dir)
    assert "data/real 中的文件已变化" in _setup(capsys, *args)[1]
    assert _datasets(db) == {"real": 3}

    out = _setup(capsys, *args, "--force")[1]
    assert "指定了 --force" in out and _datasets(db) == {"real": 3}


def test_setup_rebuilds_a_warehouse_it_did_not_make(tmp_path, real_dir, capsys):
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"not a database")
    code, out, _ = _setup(capsys, "--db", db, "--real-dir", real_dir, "--no-demo", "--workers", "1")
    assert code == 0 and "没有版本记录" in out
    assert _datasets(db) == {"real": 2}


def test_setup_refuses_bad_options(tmp_path, capsys):
    assert cli.main(["setup", "--db", str(tmp_path / "w.duckdb"), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_two_setups_at_once_build_once(tmp_path, real_dir):
    import subprocess
    import sys

    db = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "analytics.cli", "setup", "--quiet", "--db", str(db), "--real-dir", str(real_dir),
           "--no-demo", "--workers", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    said = sorted("已是最新" in out for out, _ in outs)
    assert said == [False, True], outs
    assert _datasets(db) == {"real": 2}


def test_a_demo_corpus_is_reused_only_when_its_manifest_names_every_file(tmp_path):
    from analytics.commands.setup import _complete
    from analytics.demo import write_corpus

    demo = tmp_path / "demo"
    documents = write_corpus(demo, scale=0.05, workers=1)["documents"]
    assert _complete(demo, documents) and not _complete(demo, documents + 1)
    next(demo.rglob("*.txt")).unlink()
    assert not _complete(demo, documents)
    (demo / "manifest.csv").write_text("path,level\nx.txt,galaxy\n", encoding="utf-8")
    assert not _complete(demo, 1)  # a manifest ingest would refuse is no complete corpus
