"""Fitting a row's value tokens to the number of cells the template row has.

Extra blank fields at the ends of a flattened row are padding. Fewer tokens than cells means
either glued digits (split under the row rule) or cells the source dropped; then every placement
is a candidate and the rules across rows choose. Nothing is ever filled in: a cell no candidate
agrees on stays absent (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from .glued import MAX_SOLUTIONS, Group, split_tokens, splittable
from .tokens import Token, read_cell

MAX_PLACEMENTS = 200


@dataclass(frozen=True)
class Entry:
    raw: str
    where: str
    last_field: bool = False


Candidate = tuple  # of Entry | None (None: the cell is absent)


@dataclass
class Fitted:
    candidates: list[Candidate]
    problem: str | None = None  # why no candidate, or how the reading was reached
    glued: bool = False
    short: bool = False  # fewer values than cells, placed by the row rule alone
    note: str | None = None  # warning code of a reading that took more than the digits

    def warn(self, sink, label: str, where: str) -> None:
        """Name such a reading in the record's warnings."""
        if self.note and self.candidates:
            sink.warn(self.note, f"{label}: {self.problem}", where)


def number(entry: Entry | None) -> float | int | None:
    """Arithmetic value of a cell: blank and "/" count as 0, absent or text without number is None."""
    if entry is None:
        return None
    kind, value = read_cell(entry.raw)
    if kind in ("blank", "not_applicable"):
        return 0
    return value


def fit_tokens(tokens: list[Token], groups: list[Group]) -> Fitted:
    n = sum(g.size for g in groups)
    toks = list(tokens)
    while len(toks) > n and toks[-1].raw == "":
        toks.pop()
    while len(toks) > n and toks[0].raw == "":
        toks.pop(0)
    if not toks:
        return Fitted([], "没有数值")
    entries = [Entry(t.raw, t.where, t.last_field) for t in toks]
    if len(toks) == n:
        return Fitted([tuple(entries)])
    zeros = _all_zeros(toks, n)
    if len(toks) > n:
        if zeros:
            return zeros
        return Fitted([], f"有 {len(toks)} 个数值，而该行只有 {n} 个单元格")
    if any(splittable(t.raw) for t in toks):
        raws = [t.raw for t in toks]
        where = toks[0].where
        sols = split_tokens(raws, groups)
        if len(sols) >= MAX_SOLUTIONS:
            return Fitted([], "数字粘连，可能的拆分过多")
        if sols:
            return Fitted([tuple(Entry(raw, where) for raw in sol) for sol in sols], glued=True)
        if zeros:
            return zeros
        # No split meets the row sum. When the whole row is one run of digits and they allow one
        # split only (as many digits as cells), that split is what the report printed: kept, so
        # the rules report the sum. With separators between some figures, a short row is more
        # likely a figure moved away than glued, and is placed as such below.
        free = split_tokens(raws, [Group(g.size, False) for g in groups]) if len(raws) == 1 else []
        if len(free) == 1:
            return Fitted([tuple(Entry(raw, where) for raw in free[0])], "数字粘连，只有一种拆分，但与本行总计不符（按原文保留）",
                          glued=True, note="published_contradiction")
    cands = []
    for pos in combinations(range(n), len(entries)):
        cell: list[Entry | None] = [None] * n
        for p, e in zip(pos, entries):
            cell[p] = e
        if row_rules_hold(tuple(cell), groups):
            cands.append(tuple(cell))
        if len(cands) >= MAX_PLACEMENTS:
            # A partial list would make cells look agreed that are not: give up on the row.
            return Fitted([], f"{len(toks)} 个数值对应 {n} 个单元格，可能的排法过多")
    if not cands:
        return Fitted([], f"{len(toks)} 个数值对应 {n} 个单元格，没有一种排法符合本行的求和规则")
    return Fitted(cands, "数值少于单元格，位置不确定", short=True)


def _all_zeros(toks: list[Token], n: int) -> Fitted | None:
    """Runs of zeros only, more zeros than the row has cells: however they are cut, every cell
    is 0 (a converter doubled a zero or glued the row to its neighbour's zeros)."""
    digits = "".join(t.raw for t in toks)
    if len(digits) <= n or digits.strip("0") or any(not t.raw for t in toks):
        return None
    where = toks[0].where
    return Fitted([tuple(Entry("0", where) for _ in range(n))],
                  f"{len(digits)} 个 0 对应 {n} 个单元格，无论怎样拆分每格都是 0", glued=True, note="glued_zeros")


def row_rules_hold(cand: Candidate, groups: list[Group]) -> bool:
    start = 0
    for g in groups:
        if g.summed:
            vals = [number(e) for e in cand[start:start + g.size]]
            if all(v is not None for v in vals) and any(e.raw for e in cand[start:start + g.size]):
                if abs(sum(vals[:-1]) - vals[-1]) > 1e-9:
                    return False
        start += g.size
    return True


def agreed(cands: list[Candidate], n: int) -> Candidate:
    """Cells on which every candidate agrees; the others absent."""
    out: list[Entry | None] = []
    for i in range(n):
        raws = {c[i].raw if c[i] is not None else None for c in cands}
        out.append(cands[0][i] if len(raws) == 1 else None)
    return tuple(out)
