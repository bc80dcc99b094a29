"""``analytics export --format csv|parquet|xlsx [--what reports,cells,metrics,findings] [--out DIR]``."""

from __future__ import annotations


def configure(p):
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--format", choices=["csv", "parquet", "xlsx"], default="csv", help="导出格式")
    p.add_argument("--what", default="reports,cells,metrics,findings", help="逗号分隔：reports,cells,metrics,findings")
    p.add_argument("--out", default="export", help="输出文件夹（默认 ./export）")


def run(args) -> int:
    from ..warehouse.export import export
    from ..warehouse.store import default_db_path

    what = [w.strip() for w in args.what.split(",") if w.strip()]
    for path in export(args.db or default_db_path(), args.out, args.format, what):
        print(path)
    return 0
