"""``analytics findings [--rule R] [--agency A]`` lists findings;
``analytics findings confirm|dismiss FINGERPRINT --note "…"`` records a decision."""

from __future__ import annotations

from ..errors import ReportError


def configure(p):
    p.add_argument("action", nargs="?", choices=["list", "confirm", "dismiss"], default="list",
                   help="list（默认）、confirm（确认）或 dismiss（驳回）")
    p.add_argument("fingerprint", nargs="?", help="confirm/dismiss 的发现指纹")
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--rule", help="只列出某条规则，如 T3_FLOW")
    p.add_argument("--agency", help="只列出名称含此文字的机关")
    p.add_argument("--severity", choices=["error", "warning", "not_assessable"])
    p.add_argument("--status", choices=["open", "confirmed", "dismissed"])
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--note", help="确认或驳回的说明")


def run(args) -> int:
    from ..warehouse.findings import decide, list_findings

    if args.action in ("confirm", "dismiss"):
        if not args.fingerprint:
            raise ReportError(f"findings {args.action} 须给出发现的指纹（FINGERPRINT）")
        decide(args.db, args.fingerprint, "confirmed" if args.action == "confirm" else "dismissed", args.note)
        print(f"{'已确认' if args.action == 'confirm' else '已驳回'} {args.fingerprint}")
        return 0
    rows = list_findings(args.db, rule=args.rule, agency=args.agency, severity=args.severity,
                         status=args.status, limit=args.limit)
    for fp, rule, severity, agency, year, subject, message, status, note in rows:
        print(f"{fp}\t{severity}\t{status}\t{message}" + (f"\t备注：{note}" if note else ""))
    if not rows:
        print("没有符合条件的发现")
    return 0
