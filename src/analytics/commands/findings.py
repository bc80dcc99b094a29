"""``analytics findings [--rule R] [--agency A] [--status S]`` lists findings;
``analytics findings confirm|dismiss FINGERPRINT [--note …] [--by NAME]`` decides one;
``analytics findings decide [FINGERPRINT] --status S [--rule …] [--agency …] [--by …] [--note …]``
makes one review step on one finding or on every finding matching the filters, in one write;
``analytics findings log [--out FILE.csv]`` exports the decision log."""

from __future__ import annotations

import sys

from ..errors import ReportError
from ..warehouse.review import STATUS_ZH

STATUS_CHOICES = list(STATUS_ZH)


def configure(p):
    p.add_argument("action", nargs="?", choices=["list", "confirm", "dismiss", "decide", "log"], default="list",
                   help="list（默认）、confirm（确认）、dismiss（驳回）、decide（按状态流转，可批量）或 log（导出处理记录）")
    p.add_argument("fingerprint", nargs="?", help="confirm/dismiss/decide 的发现指纹")
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--rule", help="只处理某条规则，如 T3_FLOW")
    p.add_argument("--agency", help="只处理名称含此文字的机关")
    p.add_argument("--severity", choices=["error", "warning", "not_assessable"])
    p.add_argument("--year", type=int, help="只处理某一年度的发现")
    p.add_argument("--status", choices=STATUS_CHOICES,
                   help="list：按当前状态筛选；decide：要改成的状态 "
                        "(open 待确认, confirmed 已确认, dismissed 已驳回, notified 已通知, rectified 已整改, "
                        "verified 复核通过, returned 退回)")
    p.add_argument("--from", dest="from_status", choices=STATUS_CHOICES, help="decide：只处理当前为此状态的发现")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--note", help="本次处理的说明")
    p.add_argument("--by", help="操作人（默认：当前系统用户名）")
    p.add_argument("--out", help="log：写入此 CSV 文件（默认输出到标准输出）")


def run(args) -> int:
    from ..warehouse.findings import list_findings
    from ..warehouse.review import transition

    if args.action in ("confirm", "dismiss"):
        if not args.fingerprint:
            raise ReportError(f"findings {args.action} 须给出发现的指纹（FINGERPRINT）")
        status = "confirmed" if args.action == "confirm" else "dismissed"
        transition(args.db, status, fingerprint=args.fingerprint, by=args.by, note=args.note)
        print(f"{STATUS_ZH[status]} {args.fingerprint}")
        return 0
    if args.action == "decide":
        if not args.status:
            raise ReportError("findings decide 须用 --status 给出要改成的状态")
        outcome = transition(args.db, args.status, fingerprint=args.fingerprint, rule=args.rule,
                             agency=args.agency, severity=args.severity, year=args.year,
                             from_status=args.from_status, by=args.by, note=args.note)
        print(outcome.summary_zh())
        return 0
    if args.action == "log":
        return _log(args)
    rows = list_findings(args.db, rule=args.rule, agency=args.agency, severity=args.severity,
                         status=args.status, limit=args.limit)
    for fp, rule, severity, agency, year, subject, message, status, note, actor in rows:
        print(f"{fp}\t{severity}\t{status}\t{message}" + (f"\t备注：{note}" if note else "")
              + (f"\t操作人：{actor}" if actor and status != "open" else ""))
    if not rows:
        print("没有符合条件的发现")
    return 0


def _log(args) -> int:
    from ..warehouse.review import audit_log, write_log_csv

    rows = audit_log(args.db)
    if args.out:
        # utf-8-sig: Excel opens the Chinese text of a BOM-marked CSV correctly
        with open(args.out, "w", encoding="utf-8-sig", newline="") as fh:
            write_log_csv(rows, fh)
        print(f"已导出 {len(rows)} 条处理记录到 {args.out}")
    else:
        write_log_csv(rows, sys.stdout)
    return 0
