"""``analytics parse FILE [--json] [--option FORMAT.NAME=VALUE …]``."""

from __future__ import annotations

import json
import sys
from dataclasses import fields

from ..parsing import read_report
from ..parsing.formats import FORMATS, accepted_suffixes, options_from_text


def configure(p):
    p.add_argument("file", help="报告文件（" + " ".join(accepted_suffixes()) + "）")
    p.add_argument("--json", action="store_true", help="输出完整 JSON 记录 (default: a short summary)")
    p.add_argument("--no-cells", action="store_true", help="omit the per-cell provenance list")
    tunable = "; ".join(f"{f.name}: " + ", ".join(x.name for x in fields(f.options))
                        for f in FORMATS.values() if f.options is not None)
    p.add_argument("--option", action="append", default=[], metavar="FORMAT.NAME=VALUE",
                   help=f"解析选项，可重复，例如 pdf.use_rulings=false（{tunable}）")


def run(args) -> int:
    report = read_report(args.file, options=options_from_text(args.option))
    if args.json:
        json.dump(report.to_json(cells=not args.no_cells), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    total = report.applications.get("new_received", {}).get("total")
    cells = () if args.no_cells else report.cells
    print(f"{report.agency}\t{report.year}\t模板 {report.template}\t"
          f"格式 {report.source.format}\t新收申请 {total}\t单元格 {len(cells)}")
    for w in report.warnings:
        print(f"  ! {w.code}: {w.message}", file=sys.stderr)
    return 0
