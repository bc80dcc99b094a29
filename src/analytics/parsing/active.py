"""Table 2 (主动公开): row labels to field keys per template, and glued digits without row sums.

Table 2 has no arithmetic rule, so a glued run is split only under the relations the template
implies between a row's cells (a total published is at least this year's publications, …).
Cells the remaining readings disagree on are left absent with a warning, never guessed.
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


def _values(keys: list[str], cand: Candidate) -> dict:
    return {k: number(e) for k, e in zip(keys, cand)}


def _holds(keys: list[str], cand: Candidate) -> bool:
    """The relations the template itself implies between one row's cells; nothing else.

    - only a change (本年增/减) is signed;
    - 对外公开总数量 counts every document ever published, so it is at least 本年新公开数量;
    - 现行有效件数 keeps every document issued this year that was not repealed: at least
      本年制发件数 − 本年废止件数;
    - a change cannot take the items below zero: 上一年项目数量 + 本年增/减 ≥ 0.
    A blank, "/" or unread cell takes part in no relation."""
    vals = _values(keys, cand)
    for k, v in vals.items():
        if v is not None and v < 0 and not k.endswith("_change"):
            return False

    def at_least(big: str, *small: tuple[str, int]) -> bool:
        b = vals.get(big)
        parts = [(vals.get(k), sign) for k, sign in small]
        if b is None or any(v is None for v, _ in parts):
            return True
        return b >= sum(v * sign for v, sign in parts)

    for k in keys:
        if k.endswith("_total_published"):
            if not at_least(k, (k.replace("_total_published", "_new_published"), 1)):
                return False
        elif k.endswith("_in_force"):
            base = k[: -len("_in_force")]
            if not at_least(k, (base + "_issued", 1), (base + "_repealed", -1)):
                return False
        elif k.endswith("_change"):
            base = k[: -len("_change")]
            prev = vals.get(base + "_prev_items")
            if prev is not None and vals[k] is not None and prev + vals[k] < 0:
                return False
    return True


class Choice(NamedTuple):
    cand: Candidate | None
    why: str | None = None  # for the warning: why no reading, or how it was reached
    ambiguous: bool = False  # cells were left out rather than guessed


def choose(keys: list[str], fitted: Fitted) -> Choice:
    """The reading of one table 2 row and, when it could not be read whole, why.

    Table 2 has no row sum, so a glued run is split only as far as the template's own relations
    (``_holds``) decide it. Where several readings remain, the cells they disagree on are left
    absent: a "typical" reading (a change of 0, similar lengths) is still a guess, and a wrong
    figure is worse than a missing one."""
    cands = fitted.candidates
    if not cands:
        return Choice(None, fitted.problem)
    if len(cands) == 1:
        return Choice(cands[0], fitted.problem if fitted.note else None)
    n = len(keys)
    if not fitted.glued:
        return Choice(agreed(cands, n), "单元格位置无法确定，有歧义的单元格留空", True)
    kept = [c for c in cands if _holds(keys, c)] or cands
    if len(kept) == 1:
        return Choice(kept[0])
    shown = " | ".join("/".join(e.raw if e is not None else "?" for e in c) for c in kept[:4])
    more = "…" if len(kept) > 4 else ""
    what = "金额附近的数字粘连" if any(k in MONEY for k in keys) else "数字粘连"
    return Choice(agreed(kept, n), f"{what}，可有 {len(kept)} 种读法（{shown}{more}），有歧义的单元格留空", True)
