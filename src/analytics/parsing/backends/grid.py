"""Turning a source table with merged cells into IR rows: labels first, value cells in place.

HTML and DOCX tables both describe merges (rowspan/colspan, vMerge/gridSpan). The backends hand
the cells here as ``SpanCell``s; ``table_rows`` lays them on a grid and emits, for each source
row, the label texts followed by that row's value cells in column order.

A merged cell is emitted once, on the row where it starts: a group label spanning sub-rows
(三、本年度办理结果) is not repeated, and a value spanning several grid columns is one cell, because
header and body merges often disagree and a grid column is not a report column. A value cell
merged down into a later row leaves a blank placeholder there so the later values keep their
positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...errors import CorruptFile
from ..cells import normalise, read_cell
from ..document import Cell, Row

# Upper bounds against absurd spans in hostile or broken markup (rowspan="65534").
MAX_SPAN_COLS = 200
MAX_SPAN_ROWS = 2000
MAX_SLOTS = 1_000_000


@dataclass
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    col: int | None = None  # explicit grid column (DOCX knows it); None lets the layout place it


@dataclass
class _Placed:
    cell: SpanCell
    row: int
    col: int


_LEADING_NUMBER = re.compile(r"^[+\-−－]?\d+(?:[.,]\d+)*")
_OPENING = "(（[【〔"


@lru_cache(maxsize=8192)
def cell_role(text: str) -> str:
    """``label``, ``value`` or ``blank`` for one cell's text.

    A cell that starts with a number is a value when the rest is a note in brackets or a short
    unit ("22（其中修订16件）", "251000元", "96171.6万元"); "1.属于国家秘密" or "1 属于国家秘密" is a
    numbered label.
    """
    kind, _value = read_cell(text)
    if kind == "blank":
        return "blank"
    if kind in ("number", "not_applicable"):
        return "value"
    s = normalise(text)
    m = _LEADING_NUMBER.match(s)
    if not m:
        return "label"
    rest = s[m.end():]
    if not rest:
        return "value"  # digits read_cell refuses (past 2^53): still a value's place
    if rest[0] in _OPENING or (len(rest) <= 3 and rest[0] not in ".．、)）"):
        return "value"
    return "label"


def layout(rows: list[list[SpanCell]]) -> list[list[tuple[_Placed, bool]]]:
    """Place cells on the grid; per row, ``(placed, own)`` pairs sorted by column.

    ``own`` is False for a cell that started in an earlier row and covers this one.
    """
    n = len(rows)
    budget = MAX_SLOTS
    taken: list[set[int]] = [set() for _ in range(n)]  # occupied grid columns, per row
    out: list[list[tuple[_Placed, bool]]] = [[] for _ in range(n)]
    # A row's own cells are placed left to right; only cells merged down from above can put
    # it out of column order, so only those rows are sorted.
    unsorted: set[int] = set()
    for r, cells in enumerate(rows):
        c = 0
        here = taken[r]
        mine = out[r]
        for cell in cells:
            rs, cs = cell.rowspan, cell.colspan
            if rs != 1 or cs != 1:
                rs = max(1, min(rs, MAX_SPAN_ROWS, n - r))
                cs = max(1, min(cs, MAX_SPAN_COLS))
            if cell.col is not None and cell.col >= c:
                c = cell.col
            while c in here:
                c += 1
            budget -= rs * cs
            if budget < 0:
                raise CorruptFile("表格的合并单元格覆盖超过一百万个格位，无法读取")
            placed = _Placed(cell, r, c)
            mine.append((placed, True))
            if cs == 1:
                here.add(c)
            else:
                here.update(range(c, c + cs))
            for dr in range(1, rs):
                out[r + dr].append((placed, False))
                unsorted.add(r + dr)
                taken[r + dr].update(range(c, c + cs))
            c += cs
    for r in unsorted:
        out[r].sort(key=_column)
    return out


def _column(item: tuple[_Placed, bool]) -> int:
    return item[0].col


def table_rows(rows: list[list[SpanCell]], table_index: int, where_prefix: str = "table") -> list[Row]:
    """IR rows for one table: label texts, then value cells (blank ones kept) in column order."""
    result: list[Row] = []
    tno = table_index + 1
    for r, items in enumerate(layout(rows)):
        entries: list[tuple[str, str, int]] = []  # (role, text, col)
        for placed, own in items:
            role = cell_role(placed.cell.text)
            if own:
                entries.append((role, placed.cell.text, placed.col))
            elif role != "label":
                # A value or blank merged down from above: a blank keeps the columns in place.
                entries.append(("blank", "", placed.col))
        if not entries or all(role == "blank" for role, _t, _c in entries):
            # A row of blank cells of its own (a township's table 4 printed empty) is figures
            # published blank and stays; a spacer row (one merged cell) or placeholders go.
            if sum(1 for placed, own in items if own) < 2:
                continue
        first_value = next((i for i, e in enumerate(entries) if e[0] == "value"), len(entries))
        last_label = max((i for i in range(first_value) if entries[i][0] == "label"), default=-1)
        labels = [e for e in entries[: last_label + 1] if e[0] == "label"]
        chosen = labels + entries[last_label + 1 :]
        cells = [Cell(text, f"{where_prefix} {tno} r{r + 1} c{col + 1}") for _role, text, col in chosen]
        result.append(Row(cells, f"{where_prefix} {tno} r{r + 1}", in_table=True, table_index=table_index))
    return result
