"""``analytics synth --db FILE --scale F [--seed N]``: a national-scale synthetic warehouse."""

from __future__ import annotations

import sys


def configure(p):
    p.add_argument("--db", required=True, help="要创建的仓库文件（新的或空的 DuckDB 文件）")
    p.add_argument("--scale", type=float, default=1.0,
                   help="规模：1.0 ≈ 14 万个机构 × 2019–2025 ≈ 100 万份报告（默认 1.0）")
    p.add_argument("--seed", type=int, default=0, help="随机种子（默认 0）")
    p.add_argument("--no-cells", action="store_true",
                   help="不写长表 cells，只写 report_wide 等（省去约 2 亿行的 cells 表）")
    p.add_argument("--quiet", action="store_true", help="不输出进度")


def run(args) -> int:
    from ..synth import generate

    log = None if args.quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    stats = generate(args.db, args.scale, seed=args.seed, with_cells=not args.no_cells, log=log)
    print(f"机构 {stats['agencies']}\t报告 {stats['reports']}\t单元格 {stats['cells']}\t"
          f"规则发现 {stats['findings']}\t用时 {stats['seconds']}s\t文件 {stats['file_bytes']} 字节")
    return 0
