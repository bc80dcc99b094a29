"""``analytics notice --year YEAR --out DIR [--region R] [--format docx|xlsx|both] [--zip]
[--mark-notified --by NAME]``: one rectification notice per agency with confirmed findings."""

from __future__ import annotations


def configure(p):
    p.add_argument("--db", help="数据仓库文件 (default: $ANALYTICS_DB or var/warehouse.duckdb)")
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--region", help="只为此省、市或区县的机构生成（与机构的省份、地市或区县一致）")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--format", choices=["docx", "xlsx", "both"], default="both",
                   help="docx（整改通知）、xlsx（问题清单）或 both（默认）")
    p.add_argument("--zip", action="store_true", help="另把全部文件打包为一个 zip")
    p.add_argument("--mark-notified", action="store_true", help="把通知中列出的发现标记为“已通知”")
    p.add_argument("--by", help="操作人（默认：当前系统用户名）")


def run(args) -> int:
    from ..notice import FORMATS, write_notices

    formats = FORMATS if args.format == "both" else (args.format,)
    written = write_notices(args.db, args.year, args.out, region=args.region, formats=formats, bundle=args.zip,
                            mark_notified=args.mark_notified, by=args.by)
    n_items = sum(len(n.items) for n in written.notices)
    print(f"已为 {len(written.notices)} 个机构生成整改通知（共 {n_items} 个问题），写入 {args.out}")
    for f in written.files:
        print(f"  {f.name}")
    if written.archive:
        print(f"压缩包：{written.archive.name}")
    if args.mark_notified:
        print(f"已将 {written.marked} 条发现标记为“已通知”")
    return 0
