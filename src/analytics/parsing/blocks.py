"""Merged blocks whose values come column by column.

PDF text without layout mode prints the labels of a merged block first and then its values
column by column ("规章 / 行政规范性文件 / 0 / 12 / 0 / 3 / 0 / 150"). When a run of labels with no
values is followed by exactly one full row of values per label, the values are dealt out either
row by row or column by column; a row rule (the total of table 3) chooses, and when no rule can,
the block is left out with a warning rather than guessed.
"""

from __future__ import annotations

from typing import Callable

from .tables import Item
from .tokens import Token


def deal_blocks(items: list[Item], width: Callable[[str], int | None],
                rule: Callable[[list[Token]], bool] | None, warn: Callable[[str, str], None]) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j].key and not items[j].tokens and not items[j].from_own_row:
            j += 1
        if j == i or j >= len(items) or not items[j].key:
            out.append(items[i])
            i += 1
            continue
        run = items[i:j + 1]
        widths = {width(it.key) for it in run}
        n = widths.pop() if len(widths) == 1 else None
        values = items[j].tokens
        k = len(run)
        if n is None or len(values) != n * k:
            # only the whole run of bare labels can own the values; a tail of it is a guess
            out.extend(items[i:j])
            i = j
            continue
        by_row = [values[r * n:(r + 1) * n] for r in range(k)]
        by_col = [[values[c * k + r] for c in range(n)] for r in range(k)]
        options = [rows for rows in (by_row, by_col) if rule is None or all(rule(x) for x in rows)]
        same = [[t.raw for t in x] for x in by_row] == [[t.raw for t in x] for x in by_col]
        if same or len(options) == 1:
            chosen = by_row if same else options[0]
            for it, toks in zip(run, chosen):
                out.append(Item(it.key, list(toks), it.where, it.pos, it.in_table, True, it.unknown))
        else:
            warn("block_ambiguous", f"{k} 行的数值连续排列，无法判断按行还是按列读取，未计入（{', '.join(it.key for it in run)}）")
            for it in run:
                out.append(Item(it.key, [], it.where, it.pos, it.in_table, False, it.unknown))
        i = j + 1
    return out
