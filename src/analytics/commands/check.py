"""``analytics check [--db FILE]``: rebuild report_wide and recompute every rule."""

from __future__ import annotations


def configure(p):
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")


def run(args) -> int:
    from ..warehouse.findings import recheck, summary

    recheck(args.db)
    rows = summary(args.db)
    total = sum(r[2] for r in rows)
    print(f"共 {total} 条发现")
    for rule, severity, n, n_open in rows:
        print(f"  {rule:<18} {severity:<15} {n:>7}  未处理 {n_open}")
    return 0
