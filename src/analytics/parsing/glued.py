"""Splitting runs of digits where a flattening tool glued neighbouring cells together.

"801000081" for a table 3 row is 80,1,0,0,0,0,81: the row rule (total = sum of the six parts)
picks the split. The search places cells left to right and never enumerates a total: when it
reaches a total cell it only checks that the digits there spell the running sum, which prunes
almost everything. A part never starts with 0 unless it is the single digit 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPLITTABLE = re.compile(r"^([+\-]?\d+)((?:\.\d+)?\D*)$")
MAX_SOLUTIONS = 400


@dataclass(frozen=True)
class Group:
    size: int
    summed: bool  # True when the last cell is the sum of the others


def splittable(raw: str) -> bool:
    """A token that may hold several glued cells: two or more digits, maybe a decimal tail."""
    m = _SPLITTABLE.match(raw)
    return bool(m) and len(m.group(1).lstrip("+-")) > 1


def split_tokens(tokens: list[str], groups: list[Group]) -> list[tuple[str, ...]]:
    """Every way to cut ``tokens`` into cells that fits ``groups``; each cell is its raw text.

    Tokens that are not digit runs (blanks, "/", text) are single cells. Cells never span two
    tokens. A decimal or unit tail ("…432.52元") stays on the last cell of its token.
    """
    n = sum(g.size for g in groups)
    total_at = set()  # cells that must equal the sum of the cells before them in their group
    group_of: list[int] = []  # first cell index of each cell's group
    total_of: list[int | None] = []  # index of the total cell of each cell's group
    start = 0
    for g in groups:
        if g.summed:
            total_at.add(start + g.size - 1)
        group_of.extend([start] * g.size)
        total_of.extend([start + g.size - 1 if g.summed else None] * g.size)
        start += g.size

    pieces: list[tuple[str, str]] = []  # (digits, tail) or ("", raw) for atomic tokens
    for t in tokens:
        m = _SPLITTABLE.match(t)
        pieces.append((m.group(1), m.group(2)) if m else ("", t))
    min_needed = [0] * (len(pieces) + 1)
    max_avail = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        min_needed[i] = min_needed[i + 1] + 1
        max_avail[i] = max_avail[i + 1] + (len(pieces[i][0]) if pieces[i][0] else 1)
    if not (min_needed[0] <= n <= max_avail[0]):
        return []

    out: list[tuple[str, ...]] = []
    cells: list[str] = []
    values: list[int] = []

    def value_of(raw: str) -> int:
        m = re.match(r"[+\-]?\d+", raw)
        return int(m.group(0)) if m else 0

    def walk(pi: int, off: int) -> None:
        if len(out) >= MAX_SOLUTIONS:
            return
        ci = len(cells)
        if pi == len(pieces):
            if ci == n:
                out.append(tuple(cells))
            return
        left_cells = n - ci
        digits, tail = pieces[pi]
        if left_cells < min_needed[pi + 1] + 1:
            return
        if not digits:  # atomic token
            if ci in total_at and not _total_ok(raw=tail, ci=ci):
                return
            cells.append(tail)
            values.append(value_of(tail))
            walk(pi + 1, 0)
            cells.pop()
            values.pop()
            return
        remaining = digits[off:]
        later = max_avail[pi + 1]
        if ci in total_at:
            gs = group_of[ci]
            want = str(sum(values[gs:ci]))
            lengths = [len(want)] if remaining.startswith(want) else []
        else:
            lengths = range(1, len(remaining) + 1)
        signed = off == 0 and remaining[:1] in "+-"
        for ln in lengths:
            part = remaining[:ln]
            digits_only = part.lstrip("+-") if signed else part
            if not digits_only:
                continue
            if len(digits_only) > 1 and digits_only[0] == "0":
                break
            last = ln == len(remaining)
            cells_after = left_cells - 1
            tot = total_of[ci]
            if tot is not None and ci != tot:
                # the total still has to be written: at least as many digits as the running sum
                running = sum(values[group_of[ci]:ci]) + int(part)
                need = (tot - ci - 1) + len(str(abs(running))) + (n - tot - 1)
                if len(remaining) - ln + later < need:
                    break
            if last:
                if cells_after < min_needed[pi + 1] or cells_after > later:
                    continue
                raw = part + tail
                cells.append(raw)
                values.append(int(part))
                walk(pi + 1, 0)
            else:
                # cells still to cut from this token plus the later ones
                if cells_after < 1 + min_needed[pi + 1] or cells_after > len(remaining) - ln + later:
                    continue
                cells.append(part)
                values.append(int(part))
                walk(pi, off + ln)
            cells.pop()
            values.pop()

    def _total_ok(raw: str, ci: int) -> bool:
        gs = group_of[ci]
        m = re.match(r"[+\-]?\d+", raw)
        if not m:
            return True  # a blank or "/" total cannot be checked
        return int(m.group(0)) == sum(values[gs:ci])

    walk(0, 0)
    return out
