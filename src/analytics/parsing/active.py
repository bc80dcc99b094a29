"""Table 2 (主动公开): row labels to field keys per template, and glued digits without row sums.

Table 2 has no arithmetic rule, so a glued run is split under plausibility alone: a stock
(现行有效件数, 对外公开总数量) is not smaller than the year's flows, a yearly change (本年增/减)
is usually small, and numbers in one row are of similar size. A reading chosen that way is
reported in ``warnings``; money cells are never guessed.
"""

from __future__ import annotations

from typing import NamedTuple

from .fit import Candidate, Fitted, agreed, number

ROWS = {
    "2021": {
        "regulations": ["regulations_issued", "regulations_repealed", "regulations_in_force"],
        "normative": ["normative_issued", "normative_repealed", "normative_in_force"],
        "licensing": ["licensing_decisions"],
        "punishment": ["punishment_decisions"],
        "coercion": ["coercion_decisions"],
        "fees": ["fees_amount"],
    },
    "2019": {
        "regulations": ["regulations_new_made", "regulations_new_published", "regulations_total_published"],
        "normative": ["normative_new_made", "normative_new_published", "normative_total_published"],
        "licensing": ["licensing_prev_items", "licensing_change", "licensing_decisions"],
        "other_services": ["other_services_prev_items", "other_services_change", "other_services_decisions"],
        "punishment": ["punishment_prev_items", "punishment_change", "punishment_decisions"],
        "coercion": ["coercion_prev_items", "coercion_change", "coercion_decisions"],
        "fees": ["fees_prev_items", "fees_change"],
        "procurement": ["procurement_items", "procurement_amount"],
    },
}

MONEY = {"fees_amount", "procurement_amount"}
STOCKS = {"regulations_in_force", "normative_in_force", "regulations_total_published", "normative_total_published"}


def _plausible(keys: list[str], cand: Candidate) -> bool:
    """Hard limits: only a change is signed; a stock is not smaller than the year's flows."""
    vals = {k: number(e) for k, e in zip(keys, cand)}
    for k, v in vals.items():
        if v is not None and v < 0 and not k.endswith("_change"):
            return False
    for k in keys:
        v = vals[k]
        if v is None or k not in STOCKS:
            continue
        if k.endswith("in_force"):
            flows = [vals[x] for x in keys if x != k and vals[x] is not None]
        else:
            flows = [vals[x] for x in keys if x.endswith("new_published") and vals[x] is not None]
        if any(v < f for f in flows):
            return False
    return True


def _longest(cand: Candidate) -> int:
    return max(len(e.raw.split(".")[0].lstrip("+-")) for e in cand if e is not None)


def _typical(keys: list[str], cands: list[Candidate]) -> list[Candidate]:
    """The readings a person would take: a change of 0 (a lone 0 between two numbers), documents
    made and published in equal number, otherwise numbers of similar length. Empty when the
    typical case does not occur, so nothing is guessed."""
    vals = lambda c: {k: number(e) for k, e in zip(keys, c)}  # noqa: E731
    change = [k for k in keys if k.endswith("_change")]
    if change:
        cands = [c for c in cands if all(vals(c)[k] == 0 for k in change)]
    made = [k for k in keys if k.endswith("new_made")]
    if made:
        published = [k for k in keys if k.endswith("new_published")]
        cands = [c for c in cands if vals(c)[made[0]] == vals(c)[published[0]]]
    if not cands:
        return []
    best = min(_longest(c) for c in cands)
    return [c for c in cands if _longest(c) == best]


class Choice(NamedTuple):
    cand: Candidate | None
    why: str | None = None  # for the warning: why no reading, or how it was reached
    ambiguous: bool = False  # cells were left out rather than guessed


def choose(keys: list[str], fitted: Fitted) -> Choice:
    """The reading of one table 2 row and, when it took more than the digits, why."""
    cands = fitted.candidates
    if not cands:
        return Choice(None, fitted.problem)
    if len(cands) == 1:
        return Choice(cands[0])
    n = len(keys)
    if not fitted.glued:
        return Choice(agreed(cands, n), "单元格位置无法确定，有歧义的单元格留空", True)
    kept = [c for c in cands if _plausible(keys, c)] or cands
    if len(kept) == 1:
        return Choice(kept[0])
    if any(k in MONEY for k in keys):
        return Choice(agreed(kept, n), f"金额附近的数字粘连（{len(kept)} 种拆分），有歧义的单元格留空", True)
    top = _typical(keys, kept)
    if not top:
        return Choice(agreed(kept, n), f"数字粘连（可有 {len(kept)} 种拆分），有歧义的单元格留空", True)
    pick = agreed(top, n)
    shown = "/".join(e.raw if e is not None else "?" for e in pick)
    return Choice(pick, f"数字粘连（可有 {len(kept)} 种拆分），按常见读法读作 {shown}")
