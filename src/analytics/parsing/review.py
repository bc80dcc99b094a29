"""Table 4 (行政复议、行政诉讼): fifteen numbers in three groups of five, each ending in its total."""

from __future__ import annotations

from ..fields import REVIEW_COLS, REVIEW_GROUPS
from .fit import agreed, fit_tokens, number
from .glued import Group
from .record import Sink
from .tokens import Token

GROUPS = [Group(len(REVIEW_COLS), True) for _ in REVIEW_GROUPS]
WIDTH = len(REVIEW_COLS) * len(REVIEW_GROUPS)


def read_review(tokens: list[Token], sink: Sink) -> dict:
    if not tokens:  # a row of blank cells is there, its figures published blank
        sink.warn("table_missing", "未找到表4（行政复议、行政诉讼）的数字", "")
        return {}
    f = fit_tokens(tokens, GROUPS)
    where = tokens[0].where
    if not f.candidates:
        sink.warn("table_unreadable", f"表4: {f.problem}", where)
        return {}
    cand = f.candidates[0]
    f.warn(sink, "表4", where)
    if len(f.candidates) > 1:
        cand = agreed(f.candidates, WIDTH)
        sink.warn("glued_ambiguous", f"表4: {len(f.candidates)} 种拆分均符合规则，无法确定的单元格留空", where)
    out: dict[str, dict] = {}
    size = len(REVIEW_COLS)
    for gi, group in enumerate(REVIEW_GROUPS):
        part = cand[gi * size:(gi + 1) * size]
        row = {}
        for col, entry in zip(REVIEW_COLS, part):
            if entry is not None:
                row[col] = sink.cell("review_litigation", group, col, entry)
            else:  # every absent cell is named
                sink.warn("cell_missing", f"表4 {group}.{col} 无法确定", where)
        vals = [number(e) for e in part]
        if all(v is not None for v in vals) and abs(sum(vals[:-1]) - vals[-1]) > 1e-9:
            sink.warn("published_contradiction", f"表4 {group}: 总计 {vals[-1]} 与各项之和 {sum(vals[:-1])} 不符（按原文保留）", where)
        if row:
            out[group] = row
    return out
