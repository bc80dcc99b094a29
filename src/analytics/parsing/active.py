"""Table 2 (主动公开): row labels to field keys per template, and glued digits without row sums.

Table 2 has no arithmetic rule, so a glued run is split under plausibility alone: a stock
(现行有效件数, 对外公开总数量) is not smaller than the year's flows, a yearly change (本年增/减)
is usually small, and numbers in one row are of similar size. A reading chosen that way is
reported in ``warnings``; money cells are never guessed.
"""

from __future__ import annotations

from .fit import Candidate, Entry, Fitted, agreed, number

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
    vals = {k: number(e) for k, e in zip(keys, cand)}
    for k in keys:
        if k in STOCKS and vals[k] is not None:
            flows = [v for kk, v in vals.items() if kk != k and v is not None and not kk.endswith("change")]
            if k.endswith("in_force") and any(vals[k] < f for f in flows):
                return False
            if k.endswith("total_published") and any(vals[k] < vals[kk] for kk in keys if kk.endswith("new_published") and vals[kk] is not None):
                return False
    return True


def _preference(keys: list[str], cand: Candidate) -> tuple:
    change = [abs(number(e) or 0) for k, e in zip(keys, cand) if k.endswith("_change")]
    longest = max(len(e.raw.split(".")[0]) for e in cand if e is not None)
    return (sum(change), longest)


def choose(keys: list[str], fitted: Fitted) -> tuple[Candidate | None, str | None]:
    """The reading of one table 2 row and, when it took more than the digits, why."""
    cands = fitted.candidates
    if not cands:
        return None, fitted.problem
    if len(cands) == 1:
        return cands[0], None
    n = len(keys)
    if fitted.glued:
        kept = [c for c in cands if _plausible(keys, c)] or cands
        if any(k in MONEY for k in keys):
            return agreed(kept, n), "glued digits around a money amount: ambiguous cells left out"
        best = min(_preference(keys, c) for c in kept)
        top = [c for c in kept if _preference(keys, c) == best]
        pick = agreed(top, n)
        shown = "/".join(e.raw if e is not None else "?" for e in pick)
        return pick, f"glued digits split by plausibility ({len(cands)} splits possible): read as {shown}"
    return agreed(cands, n), "cells could not be placed: ambiguous cells left out"


