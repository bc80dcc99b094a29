"""The information processing fees (信息处理费) a report states: 发出收费通知的件数, 总金额 and
实际收取的总金额.

The 2021 template asks for them in section 六; several reports give them a section and a small
table of their own right after table 4 (五、信息处理费收取情况). The table's columns are found by
their header words, in the order printed, and the figures after the header are taken one per
column; anything else (a sentence, a different count of figures) is left out with a warning.
"""

from __future__ import annotations

import re

from ..fields import PROCESSING_FEES
from .fit import Entry
from .record import Sink
from .stream import Stream
from .tables import fuzzy
from .tokens import cut_segment

HEADING = ("信息处理费收取情况", "收取信息处理费情况", "信息处理费收费情况", "信息处理费情况")
COLUMNS = {
    "fee_notices": ("发出收费通知的件数", "发出收费通知件数", "收费通知件数", "收费通知的件数"),
    "fee_notice_amount": ("发出收费通知的总金额", "发出收费通知总金额", "收费通知总金额", "收费通知的总金额"),
    "fee_collected": ("实际收取的总金额", "实际收取总金额", "实际收取金额", "实收金额"),
}
def read_fees(s: Stream, region: tuple[int, int] | None, sink: Sink) -> dict:
    if region is None:
        return {}
    a, b = region
    text = s.text
    found = []
    for key, words in COLUMNS.items():
        m = fuzzy(*sorted(words, key=len, reverse=True)).search(text, a, b)
        if m:
            found.append((m.start(), m.end(), key))
    if not found:
        return {}
    found.sort()
    keys = [k for _, _, k in found]
    start = found[-1][1]
    end = _figures_end(text, start, b)
    tokens = [t for t in cut_segment(text[start:end], s.rows[s.row_at(start)].where, "fees",
                                     skip_first_blank=True).tokens]
    where = s.rows[s.row_at(start)].where
    values = [t for t in tokens if t.raw] if len(tokens) != len(keys) else tokens
    if len(values) != len(keys):
        sink.warn("fees_unreadable", f"信息处理费表: 有 {len(keys)} 列，读到 {len(values)} 个数值，未计入", where)
        return {}
    return {key: sink.cell(PROCESSING_FEES, key, "value", Entry(t.raw, t.where)) for key, t in zip(keys, values)}


def _figures_end(text: str, start: int, b: int) -> int:
    """The figures end at the first words after them (a sentence, the next heading); words
    before them (units, a row label such as 信息处理费) are passed over."""
    first = re.compile(r"\d").search(text, start, b)
    if not first:
        return start
    m = re.compile(r"[\u4e00-\u9fff]{2,}").search(text, first.start(), b)
    return m.start() if m else b


def fee_region(s: Stream, after: int) -> tuple[int, int] | None:
    """From a fee section's heading (after table 4) to the next section heading."""
    m = fuzzy(*HEADING).search(s.text, after)
    if not m:
        return None
    end = fuzzy("存在的主要问题", "主要问题", "存在问题", "其他需要报告", "改进情况", "整改情况").search(s.text, m.end())
    return (m.start(), end.start() if end else len(s.text))
