"""``analytics collect URL… [--out DIR] [--ingest] [--db FILE] [--since YEAR]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import ReportError
from ..manifest import FIRST_YEAR


def configure(p):
    from ..collect import fetch

    p.add_argument("urls", nargs="+", help="年报栏目的网址，或每行一个网址的文本文件（网址后可跟机构名称）")
    p.add_argument("--out", default="采集", help="保存网页、附件和清单的文件夹（默认：采集）")
    p.add_argument("--since", type=int, help="只采集该年度及以后的年报")
    p.add_argument("--ingest", action="store_true", help="采集后按清单载入数据仓库")
    p.add_argument("--db", help="数据仓库文件（默认：$ANALYTICS_DB 或 var/warehouse.duckdb）")
    p.add_argument("--delay", type=float, default=fetch.DEFAULT_DELAY_S,
                   help=f"同一网站两次请求的最短间隔（秒，默认 {fetch.DEFAULT_DELAY_S:g}；robots.txt 要求更长时从之）")
    p.add_argument("--timeout", type=float, default=fetch.DEFAULT_TIMEOUT_S,
                   help=f"每次请求的时限（秒，默认 {fetch.DEFAULT_TIMEOUT_S:g}）")
    p.add_argument("--retries", type=int, default=fetch.DEFAULT_RETRIES,
                   help=f"超时或服务器错误时的重试次数（默认 {fetch.DEFAULT_RETRIES}，间隔逐次加倍）")
    p.add_argument("--backoff", type=float, default=fetch.DEFAULT_BACKOFF_S, help=argparse.SUPPRESS)  # tests shorten the waits
    p.add_argument("--quiet", action="store_true", help="不显示进度条")


def run(args) -> int:
    from ..collect.fetch import Fetcher
    from ..collect.run import collect, read_targets

    if args.since is not None and not FIRST_YEAR <= args.since <= date.today().year:
        raise ReportError(f"--since 应为 {FIRST_YEAR} 至 {date.today().year} 之间的年份")
    if args.delay < 0 or args.timeout <= 0 or args.retries < 0 or args.backoff < 0:
        raise ReportError("--delay、--retries 不能为负数，--timeout 须为正数")
    targets = read_targets(args.urls)
    fetcher = Fetcher(Path(args.out) / ".collect", delay=args.delay, timeout=args.timeout,
                      retries=args.retries, backoff=args.backoff)

    def failed(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        outcome = collect(targets, args.out, since=args.since, fetcher=fetcher,
                          progress=not args.quiet and sys.stderr.isatty(), on_failure=failed)
    finally:
        fetcher.close()
    pages = sum(r["role"] == "page" for r in outcome.saved)
    print(f"新保存 {len(outcome.saved)} 个文件（年报网页 {pages}，附件 {len(outcome.saved) - pages}），"
          f"已有未重取 {outcome.already}，内容重复 {len(outcome.duplicates)}，不是年报 {len(outcome.not_reports)}，"
          f"早于 --since 跳过 {outcome.filtered}，"
          f"失败 {len(outcome.failures)}；请求 {fetcher.stats.requests} 次（未变 {fetcher.stats.not_modified}）")
    print(f"清单 {outcome.manifest}（共 {outcome.rows} 个文件）")
    if args.ingest:
        if not outcome.rows:
            print("清单为空，未载入")
        else:
            from .ingest import report_summary
            from ..warehouse.ingest import ingest

            summary = ingest([], db=args.db, manifest=outcome.manifest, progress=not args.quiet)
            report_summary(summary)
    return 1 if outcome.failures and not outcome.rows else 0
