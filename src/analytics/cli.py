"""The ``analytics`` command line: a thin shell over the library.

Each sub-command lives in ``analytics/commands/<name>.py`` with ``configure(parser)`` and
``run(args) -> int``. Library errors for bad input (``ReportError``) and writes the file system
refuses (a full disk, a read-only folder) become one line on stderr and exit code 2; anything
else is a bug and keeps its traceback. Output piped into a reader that stops early (``| head``)
ends the command quietly, as SIGPIPE ends other Unix tools.
"""

from __future__ import annotations

import argparse
import importlib
import os
import select
import signal
import sys

from .errors import ReportError, storage_line

SIGPIPE_EXIT = 128 + signal.SIGPIPE  # what a shell reports for a tool that SIGPIPE ended

COMMANDS = {
    "parse": "读取一份年报并输出标准记录 (parse one report into the canonical record)",
    "ingest": "把文件或文件夹载入数据仓库 (load files and folders into the warehouse)",
    "collect": "从机构网站的年报栏目采集年报网页和附件 (collect reports from agencies' websites)",
    "check": "重新计算一致性规则 (recompute the consistency rules)",
    "findings": "列出、处理规则发现并导出处理记录 (list findings, review them, export the decision log)",
    "notice": "生成各机构的整改通知和问题清单 (write rectification notices per agency)",
    "evaluate": "生成地区年度报告评估（DOCX 或 PDF） (write the evaluation report of a region and year)",
    "correct": "更正报告中的单元格并记录原因 (correct one cell of a report, with who and why)",
    "export": "导出报告、单元格、指标和发现 (export reports, cells, metrics, findings)",
    "demo": "生成演示语料 (generate the demo corpus of documents)",
    "setup": "准备随附数据的仓库 (build the warehouse of the bundled data)",
    "synth": "直接生成全国规模的合成仓库 (fill a warehouse with a national-scale population)",
    "users": "管理看板的账户、角色和地区 (manage the app's accounts, roles and regions)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analytics", description="政府信息公开工作年度报告分析工具")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        try:
            module = importlib.import_module(f"analytics.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"analytics.commands.{name}":
                continue
            raise
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is met inside this handler
        return code
    except ReportError as exc:
        print(f"analytics {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        if not _stdout_closed():
            raise
        # Python flushes stdout again at exit: point it at /dev/null so that nothing is printed.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_EXIT
    except OSError as exc:
        line = storage_line(exc)
        if line is None:
            raise
        print(f"analytics {args.command}: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


def _stdout_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone (the kernel flags its write end)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())
