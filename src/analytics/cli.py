"""The ``analytics`` command line: a thin shell over the library.

Each sub-command lives in ``analytics/commands/<name>.py`` with ``configure(parser)`` and
``run(args) -> int``. Library errors for bad input (``ReportError``) become one line on stderr
and exit code 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import ReportError

COMMANDS = {
    "parse": "读取一份年报并输出标准记录 (parse one report into the canonical record)",
    "ingest": "把文件或文件夹载入数据仓库 (load files and folders into the warehouse)",
    "check": "重新计算一致性规则 (recompute the consistency rules)",
    "findings": "列出或标注规则发现 (list findings, confirm or dismiss one)",
    "export": "导出报告、单元格、指标和发现 (export reports, cells, metrics, findings)",
    "demo": "生成演示语料 (generate the demo corpus of documents)",
    "setup": "准备随附数据的仓库 (build the warehouse of the bundled data)",
    "synth": "直接生成全国规模的合成仓库 (fill a warehouse with a national-scale population)",
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
        return int(args._run(args) or 0)
    except ReportError as exc:
        print(f"analytics {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
