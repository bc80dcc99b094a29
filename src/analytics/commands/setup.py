"""``analytics setup [--db FILE] [--force]``: make sure the warehouse holds the bundled data.

The warehouse is built once from ``data/real`` (dataset "real") and the generated demo corpus in
``var/demo`` (dataset "demo"). A stamp beside the database records what it was built from; a
later run with the same parser version, generator version and bundled files returns at once.
The new warehouse is built in a side file and swapped in whole, so an app reading the old one
is never shown a half-built warehouse.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from ..errors import ReportError

DEMO_SCALE = 1.0


def configure(p):
    p.add_argument("--db", help="数据仓库文件 (default: $ANALYTICS_DB or var/warehouse.duckdb)")
    p.add_argument("--force", action="store_true", help="即使仓库是最新的也重新生成和载入")
    p.add_argument("--workers", type=int, default=2, help="并行解析的进程数 (default 2)")
    p.add_argument("--demo-scale", type=float, default=DEMO_SCALE, help="演示语料规模 (default 1.0)")
    p.add_argument("--no-demo", action="store_true", help="只载入 data/real，不生成演示语料")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")
    p.add_argument("--real-dir", help="随附真实报告的文件夹 (default: data/real)")
    p.add_argument("--demo-dir", help="演示语料的文件夹 (default: var/demo)")


def real_files(folder: Path) -> list[Path]:
    """The bundled reports: every file of the folder but hidden ones and its README."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.name.lower() != "readme.md")


def _files_digest(folder: Path) -> str:
    """Names and contents of the bundled real reports: a new or edited file means rebuild."""
    h = hashlib.sha256()
    for f in real_files(folder):
        h.update(str(f.relative_to(folder)).encode("utf-8"))
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def wanted_stamp(real_dir: Path, demo: bool, scale: float) -> dict:
    from .. import PARSER_VERSION
    from ..demo import DEFAULT_SEED, GENERATOR_VERSION

    return {
        "parser_version": PARSER_VERSION,
        "generator_version": GENERATOR_VERSION if demo else None,
        "demo_seed": DEFAULT_SEED if demo else None,
        "demo_scale": scale if demo else None,
        "real_files": _files_digest(real_dir) if real_dir.is_dir() else None,
    }


def stamp_path(db: Path) -> Path:
    return Path(f"{db}.setup.json")


def _read_stamp(db: Path) -> dict | None:
    try:
        return json.loads(stamp_path(db).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _report_count(db: Path) -> int | None:
    from ..warehouse import connect_read

    try:
        con = connect_read(db)
        try:
            return int(con.execute("SELECT count(*) FROM reports").fetchone()[0])
        finally:
            con.close()
    except Exception:  # a missing, foreign or damaged file: rebuild it
        return None


def why_stale(db: Path, wanted: dict) -> str | None:
    """None when the warehouse is current, else the reason to rebuild it (in Chinese, for the user)."""
    if not db.exists():
        return "仓库不存在"
    stamp = _read_stamp(db)
    if stamp is None:
        return "仓库不是由 setup 生成的（没有版本记录）"
    names = {"parser_version": "解析器版本", "generator_version": "演示语料生成器版本", "demo_seed": "演示语料种子",
             "demo_scale": "演示语料规模", "real_files": "data/real 中的文件"}
    for key, label in names.items():
        if stamp.get(key) != wanted.get(key):
            return f"{label}已变化"
    if not _report_count(db):
        return "仓库中没有报告"
    return None


def _complete(demo_dir: Path, documents: int) -> bool:
    """The corpus has its manifest, as ingest will read it, and every file the manifest names."""
    from ..manifest import BadManifest, read_manifest

    try:
        listed = read_manifest(demo_dir / "manifest.csv")
    except BadManifest:
        return False
    return len(listed) == documents and all(Path(p).is_file() for p in listed.paths())


def _demo_corpus(demo_dir: Path, scale: float, progress: bool, workers: int) -> tuple[dict, bool]:
    """Reuse ``var/demo`` when it was written by this generator version, seed and scale."""
    from ..demo import DEFAULT_SEED, GENERATOR_VERSION, write_corpus

    try:
        old = json.loads((demo_dir / "summary.json").read_text(encoding="utf-8"))
        if (old.get("generator_version"), old.get("seed"), old.get("scale")) == (GENERATOR_VERSION, DEFAULT_SEED, scale) \
                and _complete(demo_dir, old["documents"]):
            return old, False
    except (FileNotFoundError, ValueError):
        pass
    from tqdm import tqdm

    with tqdm(desc="生成演示报告", unit="份", file=sys.stderr, disable=not progress, leave=False) as bar:
        return write_corpus(demo_dir, seed=DEFAULT_SEED, scale=scale, progress=bar.update, workers=workers), True


def _remove(db: Path) -> None:
    for p in (db, Path(f"{db}.wal"), Path(f"{db}.writing"), Path(f"{db}.writing.wal")):
        p.unlink(missing_ok=True)


def build(db: Path, real_dir: Path, demo_dir: Path | None, *, workers: int, scale: float,
          progress: bool, say=print) -> None:
    """Build a fresh warehouse at ``db`` (in a side file, swapped in at the end), telling each step."""
    from ..warehouse.ingest import ingest

    side = db.with_name(db.name + ".setup-new")
    _remove(side)
    try:
        if real_dir.is_dir():
            t = time.perf_counter()
            s = ingest([str(p) for p in real_files(real_dir)], db=side, workers=workers, dataset="real",
                       progress=progress)
            say(_line("data/real", s, time.perf_counter() - t))
        if demo_dir is not None:
            t = time.perf_counter()
            summary, fresh = _demo_corpus(demo_dir, scale, progress, workers)
            say(f"演示语料{'已生成' if fresh else '沿用'} {demo_dir}: {summary['documents']} 份报告, "
                f"{summary['agencies']} 个机关 ({time.perf_counter() - t:.1f} 秒)")
            t = time.perf_counter()
            s = ingest([str(demo_dir)], db=side, manifest=str(demo_dir / "manifest.csv"), workers=workers,
                       dataset="demo", progress=progress)
            say(_line("演示语料", s, time.perf_counter() - t))
        db.parent.mkdir(parents=True, exist_ok=True)
        os.replace(side, db)
        Path(f"{db}.wal").unlink(missing_ok=True)
    finally:
        _remove(side)
        Path(f"{side}.lock").unlink(missing_ok=True)


def _line(what: str, s, seconds: float) -> str:
    loaded = s.count("loaded") + s.count("loaded_with_warnings")
    line = f"载入{what}: {loaded} 份（有警告 {s.count('loaded_with_warnings')} 份），拒绝 {len(s.refused)} 份 ({seconds:.1f} 秒)"
    for r in s.refused[:5]:
        line += f"\n    拒绝 {Path(r.path).name}: {r.reason}"
    if len(s.refused) > 5:
        line += f"\n    ……另有 {len(s.refused) - 5} 份被拒绝"
    return line


def run(args) -> int:
    from ..warehouse import default_db_path

    if args.workers < 1:
        raise ReportError("--workers must be at least 1")
    if not 0 < args.demo_scale <= 1.0:
        raise ReportError(f"--demo-scale must be in (0, 1], not {args.demo_scale}")
    db = Path(args.db) if args.db else default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    # Two setups at once (./run started twice): the second waits, then finds the warehouse current.
    with open(f"{db}.setup.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        return _run_locked(args, db)


def _run_locked(args, db: Path) -> int:
    from ..warehouse.store import project_root

    root = project_root()
    real_dir = Path(args.real_dir) if args.real_dir else root / "data" / "real"
    demo_dir = None if args.no_demo else Path(args.demo_dir) if args.demo_dir else root / "var" / "demo"
    wanted = wanted_stamp(real_dir, demo_dir is not None, args.demo_scale)
    reason = "指定了 --force" if args.force else why_stale(db, wanted)
    if reason is None:
        print(f"数据仓库已是最新: {db} ({_report_count(db)} 份报告)")
        return 0
    start = time.perf_counter()
    print(f"准备数据仓库 {db}: {reason}，重新生成", flush=True)
    progress = not args.quiet and sys.stderr.isatty()
    build(db, real_dir, demo_dir, workers=args.workers, scale=args.demo_scale, progress=progress,
          say=lambda line: print("  " + line, flush=True))
    stamp_path(db).write_text(json.dumps(wanted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"完成: {db} 共 {_report_count(db)} 份报告, 用时 {time.perf_counter() - start:.1f} 秒")
    return 0
