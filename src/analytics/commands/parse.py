"""``analytics parse FILE [--json] [--option FORMAT.NAME=VALUE …]``."""

from __future__ import annotations

import json
import sys
from dataclasses import fields

from ..parsing import parse_file
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
    record = parse_file(args.file, options=options_from_text(args.option))
    if args.no_cells:
        record.pop("cells", None)
    if args.json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    apps = record.get("applications", {})
    total = apps.get("new_received", {}).get("total")
    print(f"{record.get('agency')}\t{record.get('year')}\t模板 {record.get('template')}\t"
          f"格式 {record['source']['format']}\t新收申请 {total}\t单元格 {len(record.get('cells', []))}")
    for w in record.get("warnings", []):
        print(f"  ! {w.get('code')}: {w.get('message')}", file=sys.stderr)
    return 0
