"""Choosing among a table 3 row's candidate readings with the rules that tie rows together.

T3_FLOW (new + carried over = processed + carried forward) and T3_OUTCOME_SUM (processed = the
sum of the outcome rows) hold per column. A candidate is dropped only when a rule whose every
other input is already decided rejects it; if a rule would reject them all, the report
contradicts itself and the candidates are kept (the rules engine reports it later).
"""

from __future__ import annotations

from itertools import product

from .fit import Candidate, number

FLOW_PLUS = ("new_received", "carried_over")
FLOW_MINUS = ("total_processed", "carried_forward")
OUTCOME_PREFIXES = ("granted", "partially_granted", "denied_", "unable_", "refused_", "other_")
MAX_JOINT = 20000


def _constraints(keys: set[str]) -> list[tuple[dict[str, int], str]]:
    out = []
    if all(k in keys for k in FLOW_PLUS + FLOW_MINUS):
        out.append(({**{k: 1 for k in FLOW_PLUS}, **{k: -1 for k in FLOW_MINUS}}, "T3_FLOW"))
    outcomes = [k for k in keys if k.startswith(OUTCOME_PREFIXES)]
    if "total_processed" in keys and "granted" in keys and len(outcomes) >= 19:
        coef = {k: 1 for k in outcomes}
        coef["total_processed"] = -1
        out.append((coef, "T3_OUTCOME_SUM"))
    return out


def _holds(coef: dict[str, int], pick: dict[str, Candidate], width: int) -> bool:
    for c in range(width):
        total = 0.0
        for k, sign in coef.items():
            v = number(pick[k][c])
            if v is None:
                break
            total += sign * v
        else:
            if abs(total) > 1e-6:
                return False
    return True


def resolve(rows: dict[str, list[Candidate]], width: int) -> dict[str, list[Candidate]]:
    rows = {k: list(v) for k, v in rows.items() if v}
    cons = _constraints(set(rows))
    amb = [k for k in rows if len(rows[k]) > 1]
    changed = True
    while amb and changed:
        changed = False
        for k in list(amb):
            for coef, _ in cons:
                if k not in coef or any(len(rows[o]) != 1 for o in coef if o != k):
                    continue
                fixed = {o: rows[o][0] for o in coef if o != k}
                keep = [c for c in rows[k] if _holds(coef, {**fixed, k: c}, width)]
                if keep and len(keep) < len(rows[k]):
                    rows[k] = keep
                    changed = True
            if len(rows[k]) == 1:
                amb.remove(k)
    if amb:
        size = 1
        for k in amb:
            size *= len(rows[k])
        if size <= MAX_JOINT:
            involved = [c for c in cons if any(k in c[0] for k in amb)]
            seen: dict[str, list[Candidate]] = {k: [] for k in amb}
            for combo in product(*(rows[k] for k in amb)):
                pick = {k: rows[k][0] for k in rows}
                pick.update(zip(amb, combo))
                if all(_holds(coef, pick, width) for coef, _ in involved):
                    for k, c in zip(amb, combo):
                        if c not in seen[k]:
                            seen[k].append(c)
            for k in amb:
                if seen[k]:
                    rows[k] = seen[k]
    return rows
