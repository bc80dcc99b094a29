"""``analytics ingest PATH… [--db FILE] [--manifest CSV] [--workers N] [--cluster ADDRESS|local]
[--dataset real|demo|synth]``."""

from __future__ import annotations

import os
import sys

from ..errors import ReportError
from ..manifest import COLUMNS
from ..parsing.formats import accepted_suffixes
from ..parsing.isolate import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S


def configure(p):
    p.add_argument("paths", nargs="*", help="文件或文件夹（文件夹递归查找后缀为 " + " ".join(accepted_suffixes())
                   + " 的文件）")
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--manifest", help="清单 CSV：" + ", ".join(COLUMNS))
    p.add_argument("--workers", type=int, default=1, help="并行解析的进程数（默认 1）")
    p.add_argument("--cluster", default=None, metavar="ADDRESS",
                   help="在 Dask 集群上解析：调度器地址（如 tcp://10.0.0.5:8786），或 local："
                        "在本机启动 --workers 个进程的集群")
    p.add_argument("--dataset", choices=["real", "demo", "synth"], default="real", help="数据集标记")
    p.add_argument("--parse-memory-mb", type=int, default=None,
                   help="每个解析进程解析一份文件时可增加的内存上限（MB；默认 $ANALYTICS_PARSE_MEMORY_MB 或 "
                        f"{DEFAULT_MEMORY_MB}）")
    p.add_argument("--parse-timeout", type=float, default=None,
                   help="每份文件的解析时限（秒；默认 $ANALYTICS_PARSE_TIMEOUT 或 "
                        f"{DEFAULT_TIMEOUT_S:g}）")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")


def run(args) -> int:
    from ..parsing.isolate import Limits
    from ..warehouse.ingest import ingest

    if not args.paths and not args.manifest:
        raise ReportError("请至少给出一个文件或文件夹，或用 --manifest 给出列有文件的清单")
    if args.workers < 1:
        raise ReportError("--workers 至少为 1")
    for option, value in (("--parse-memory-mb", args.parse_memory_mb), ("--parse-timeout", args.parse_timeout)):
        if value is not None and value <= 0:
            raise ReportError(f"{option} 须为正数")
    try:
        limits = Limits.from_env(args.parse_memory_mb, args.parse_timeout)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    workers = min(args.workers, os.cpu_count() or 1) if args.workers > 1 else 1
    summary = ingest(args.paths, db=args.db, manifest=args.manifest, workers=workers,
                     dataset=args.dataset, progress=not args.quiet, limits=limits, cluster=args.cluster)
    report_summary(summary)
    return 0


def report_summary(summary) -> None:
    """The summary lines of an ingest (also printed by ``collect --ingest``)."""
    from ..warehouse.loader import OLD_VERSION

    loaded = summary.count("loaded")
    warned = summary.count("loaded_with_warnings")
    print(f"载入 {loaded + warned} 份（其中有警告 {warned} 份），重复跳过 {summary.count('duplicate')} 份，"
          f"拒绝 {len(summary.refused)} 份 (batch {summary.batch_id})")
    for r in summary.refused:
        print(f"  拒绝 {r.path}: {r.reason}")
    # A duplicate with a reason is another file with a loaded report's text; a loaded file may
    # be an older version that left the current figures as they were. Both say so in one line.
    for r in summary.results:
        if r.status == "duplicate" and r.reason:
            print(f"  重复 {r.path}: {r.reason}")
        elif r.status.startswith("loaded") and r.reason and OLD_VERSION in r.reason:
            print(f"  旧版本 {r.path}: {r.reason[r.reason.index(OLD_VERSION):]}")
    if summary.unread:
        kinds = "、".join(f"{suffix} {n} 个" for suffix, n in summary.unread.items())
        print(f"  未读取：文件夹中另有 {sum(summary.unread.values())} 个文件不是可读取的报告格式（{kinds}）；"
              "如其中有年报，请另存为 PDF、Word 或网页后再导入")
    sys.stdout.flush()
