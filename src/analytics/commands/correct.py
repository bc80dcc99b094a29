"""``analytics correct REPORT_ID TABLE KEY VALUE --reason … [--by NAME]``: correct one cell;
``analytics correct --list [--report ID] [--out FILE.csv]``: every correction, who and why."""

from __future__ import annotations

import csv
import sys


def configure(p):
    p.add_argument("report_id", nargs="?", type=int, help="报告编号（report_id）")
    p.add_argument("table", nargs="?", help="表格：表二/active_disclosure、表三/applications、表四/review_litigation")
    p.add_argument("key", nargs="?", help="单元格：表三 行:列（如 new_received:natural_person），表四 组:列，表二 指标键")
    p.add_argument("value", nargs="?", help="正确的数值")
    p.add_argument("--reason", help="更正原因（必填）")
    p.add_argument("--by", help="操作人（默认：系统用户名）")
    p.add_argument("--list", action="store_true", help="列出更正记录")
    p.add_argument("--report", type=int, help="与 --list 一起：只列出这份报告的更正")
    p.add_argument("--out", help="与 --list 一起：写入 CSV 文件（UTF-8 BOM）")
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")


HEADER_ZH = ("序号", "报告编号", "机构", "年度", "表格", "行", "列", "解析值", "更正前", "更正值", "原因", "操作人", "时间")


def run(args) -> int:
    from ..errors import ReportError
    from ..warehouse.corrections import correct, list_corrections, pending

    if args.list:
        rows = list_corrections(args.db, args.report)
        if args.out:
            from ..warehouse.cell_safety import cell

            with open(args.out, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(HEADER_ZH)
                for r in rows:
                    w.writerow([cell(v) if v is not None else "" for v in r])
            print(f"已写入 {len(rows)} 条更正记录：{args.out}")
            return 0
        for cid, rid, agency, year, tbl, row, col, parsed, prev, value, reason, actor, at in rows:
            print(f"{cid}\t{rid}\t{agency}\t{year}\t{tbl}\t{row}:{col}\t解析值 {parsed}\t{prev} → {value}\t"
                  f"{actor}\t{at:%Y-%m-%d %H:%M:%S}\t{reason}")
        if not rows:
            print("没有更正记录", file=sys.stderr)
        waiting = pending(args.db)
        if waiting:
            print(f"另有 {waiting} 条更正已记录、尚待下一次写入数据仓库时应用", file=sys.stderr)
        return 0
    if None in (args.report_id, args.table, args.key, args.value):
        raise ReportError("correct 须给出 REPORT_ID TABLE KEY VALUE（或用 --list 列出更正记录）")
    print(correct(args.db, args.report_id, args.table, args.key, args.value, reason=args.reason, by=args.by)
          .summary_zh())
    return 0
