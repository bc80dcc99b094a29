"""``analytics evaluate --region R --year YEAR --out FILE.docx|FILE.pdf [--db FILE]``: the
evaluation report (年度报告评估) of one region and year, built from the warehouse."""

from __future__ import annotations


def configure(p):
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--region", required=True, help="省、市或区县名称（如 淮安市；重名时写成 江苏省/淮安市）")
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--out", required=True, help="输出文件：.docx 或 .pdf")


def run(args) -> int:
    from ..evaluate import evaluate, write

    ev = evaluate(args.db, args.region, args.year)
    out = write(ev, args.out)
    print(f"已生成{ev.title}（{len(ev.figures)} 个数字，{len(ev.notes)} 条注释）：{out}")
    return 0
