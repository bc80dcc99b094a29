"""``analytics ingest PATH… [--db FILE] [--manifest CSV] [--workers N] [--dataset real|demo|synth]``."""

from __future__ import annotations

import os
import sys

from ..errors import ReportError
from ..manifest import COLUMNS
from ..parsing.formats import accepted_suffixes


def configure(p):
    p.add_argument("paths", nargs="*", help="文件或文件夹（文件夹递归查找后缀为 " + " ".join(accepted_suffixes())
                   + " 的文件）")
    p.add_argument("--db", help="数据仓库文件 (default: $ANALYTICS_DB or var/warehouse.duckdb)")
    p.add_argument("--manifest", help="清单 CSV：" + ", ".join(COLUMNS))
    p.add_argument("--workers", type=int, default=1, help="并行解析的进程数 (default 1)")
    p.add_argument("--dataset", choices=["real", "demo", "synth"], default="real", help="数据集标记")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")


def run(args) -> int:
    from ..warehouse.ingest import ingest

    if not args.paths and not args.manifest:
        raise ReportError("give at least one file or folder, or a --manifest listing the files")
    if args.workers < 1:
        raise ReportError("--workers must be at least 1")
    workers = min(args.workers, os.cpu_count() or 1) if args.workers > 1 else 1
    summary = ingest(args.paths, db=args.db, manifest=args.manifest, workers=workers,
                     dataset=args.dataset, progress=not args.quiet)
    loaded = summary.count("loaded")
    warned = summary.count("loaded_with_warnings")
    print(f"载入 {loaded + warned} 份（其中有警告 {warned} 份），重复跳过 {summary.count('duplicate')} 份，"
          f"拒绝 {len(summary.refused)} 份 (batch {summary.batch_id})")
    for r in summary.refused:
        print(f"  拒绝 {r.path}: {r.reason}")
    sys.stdout.flush()
    return 0
