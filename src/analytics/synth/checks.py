"""The rules of docs/spec/rules.md applied to a year of synthetic reports, as array operations.

The population is generated as arrays, so its findings are computed on the same arrays instead of
re-reading 200 million cells: each rule is a boolean mask over (report, column) or (report, row).
Only rules the synthetic numbers can trigger are evaluated (no prose, so no text rules).
"""

from __future__ import annotations

import numpy as np

from .population import COLS, GROUPS, R, ROWS, YearBatch
from .. import fields as F

ACOL = {k: i for i, k in enumerate(F.ACTIVE_KEYS)}
OUTCOME_IDX = [R[k] for k in ROWS[R["granted"]: R["other_total"] + 1]]


class Collector:
    """Accumulates findings as parallel arrays (row index into the year batch, rule, subject...)."""

    def __init__(self):
        self.parts = []

    def add(self, rows, rule, severity, scope, subjects, expected, actual):
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        self.parts.append(dict(
            row=rows, rule=np.full(rows.size, rule, object), severity=np.full(rows.size, severity, object),
            scope=np.full(rows.size, scope, object), subject=np.asarray(subjects, object),
            expected=np.asarray(expected, float), actual=np.asarray(actual, float)))

    def arrays(self) -> dict:
        if not self.parts:
            return {k: np.array([], object if k in ("rule", "severity", "scope", "subject") else float)
                    for k in ("row", "rule", "severity", "scope", "subject", "expected", "actual")}
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}


def _masked(mask, left, right, names, out: Collector, rule, severity, scope="report"):
    r, c = np.nonzero(mask)
    out.add(r, rule, severity, scope, np.asarray(names, object)[c], left[r, c], right[r, c])


def report_rules(b: YearBatch, level: np.ndarray, out: Collector) -> None:
    a = np.nan_to_num(b.apps)                  # blank counts as 0 in arithmetic
    flow_in = a[:, R["new_received"]] + a[:, R["carried_over"]]
    flow_out = a[:, R["total_processed"]] + a[:, R["carried_forward"]]
    _masked(flow_in != flow_out, flow_in, flow_out, COLS, out, "T3_FLOW", "error")

    outcomes = a[:, OUTCOME_IDX].sum(axis=1)
    processed = a[:, R["total_processed"]]
    _masked(outcomes != processed, outcomes, processed, COLS, out, "T3_OUTCOME_SUM", "error")

    parts = a[:, :, :6].sum(axis=2)
    total = a[:, :, 6]
    shown = b.present & ~b.blank[:, :, 6]
    _masked(shown & (parts != total), parts, total, ROWS, out, "T3_COLUMN_SUM", "error")
    blank_total = b.blank[:, :, 6] & b.present
    _masked(blank_total, parts, np.full(parts.shape, np.nan), ROWS, out, "T3_BLANK_TOTAL", "warning")

    rv = b.review
    rv_parts = rv[:, :, :4].sum(axis=2)
    _masked(rv_parts != rv[:, :, 4], rv_parts, rv[:, :, 4], GROUPS, out, "T4_GROUP_SUM", "error")

    new_template = b.year >= F.TEMPLATE_2021_FIRST_YEAR
    wrong = np.flatnonzero((b.template == "2021") != new_template)
    out.add(wrong, "TEMPLATE_YEAR", "warning", "report", np.full(wrong.size, "template", object),
            np.full(wrong.size, 2021.0 if new_template else 2019.0),
            np.where(b.template[wrong] == "2021", 2021.0, 2019.0))

    low = np.isin(level[b.agency_idx], ["township", "county"])
    issued = np.fmax(np.nan_to_num(b.active[:, ACOL["regulations_issued"]]),
                     np.nan_to_num(b.active[:, ACOL["regulations_new_made"]]))
    odd = np.flatnonzero(low & (issued > 0))
    out.add(odd, "IMPLAUSIBLE_LEVEL", "warning", "report", np.full(odd.size, "regulations", object),
            np.zeros(odd.size), issued[odd])


def cross_year_rules(b: YearBatch, prev: YearBatch | None, n_agencies: int, out: Collector) -> None:
    """X_CARRYOVER, X_STOCK and X_JUMP against the agency's report of the year before."""
    if prev is None:
        return
    pos = np.full(n_agencies, -1)
    pos[prev.agency_idx] = np.arange(prev.agency_idx.size)
    j = pos[b.agency_idx]
    have = np.flatnonzero(j >= 0)
    jj = j[have]
    co = np.nan_to_num(b.apps[have, R["carried_over"]])
    last_cf = np.nan_to_num(prev.apps[jj, R["carried_forward"]])
    mask = co != last_cf
    r, c = np.nonzero(mask)
    out.add(have[r], "X_CARRYOVER", "warning", "cross_year", np.asarray(COLS, object)[c],
            last_cf[r, c], co[r, c])

    both = (b.template[have] == "2021") & (prev.template[jj] == "2021")
    for kind in ("regulations", "normative"):
        cur = b.active[have, ACOL[f"{kind}_in_force"]]
        expect = (prev.active[jj, ACOL[f"{kind}_in_force"]] + b.active[have, ACOL[f"{kind}_issued"]]
                  - b.active[have, ACOL[f"{kind}_repealed"]])
        gap = both & ~np.isnan(cur) & ~np.isnan(expect) & (cur != expect)
        k = np.flatnonzero(gap)
        out.add(have[k], "X_STOCK", "warning", "cross_year",
                np.full(k.size, f"{kind}_in_force", object), expect[k], cur[k])

    for subject, now, before in (
        ("new_received", b.apps[have, R["new_received"], 6], prev.apps[jj, R["new_received"], 6]),
        ("review", b.review[have, 0, 4], prev.review[jj, 0, 4]),
        ("licensing_decisions", b.active[have, ACOL["licensing_decisions"]],
         prev.active[jj, ACOL["licensing_decisions"]]),
    ):
        now, before = np.nan_to_num(now), np.nan_to_num(before)
        big = np.maximum(now, before) >= 20
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(before > 0, now / before, np.inf)
        jump = big & ((ratio > 5) | (ratio < 0.2))
        k = np.flatnonzero(jump)
        out.add(have[k], "X_JUMP", "warning", "cross_year", np.full(k.size, subject, object),
                before[k], now[k])

