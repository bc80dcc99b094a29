"""Imported by the ingest's fork server: builds the parser's lazily compiled patterns once.

The row-label patterns are compiled on first use (about 70 ms). Compiled in the server, they are
inherited by every worker it forks, so no worker pays for them on its first report.
"""

from __future__ import annotations

from ..errors import ReportError
from ..parsing import parse_report
from ..parsing.labels import ACTIVE_LABELS, APPLICATION_LABELS


def _sample() -> bytes:
    """A small report in plain text that names every row label once."""
    lines = ["2023年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]
    lines += [f"{lab.variants[0]}\t0\t0\t0" for lab in ACTIVE_LABELS]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += [f"{lab.variants[0]}\t0\t0\t0\t0\t0\t0\t0" for lab in APPLICATION_LABELS]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append("\t".join(["0"] * 15))
    return "\n".join(lines).encode("utf-8")


def warm() -> None:
    try:
        parse_report(_sample(), "warm.txt")
    except ReportError:
        pass  # the patterns are compiled by then; the sample need not make a valid report


warm()
