"""Published-style errors planted on purpose, each recorded so tests can check the rules find it.

Every planted error changes what one document prints (never the underlying figures, so the
parent's jurisdiction totals and the neighbouring years stay as they were), like a clerk's slip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .report import Style


@dataclass
class Draft:
    """A report before its cells become text: the numbers a planted error may alter."""

    agency: object
    year: int
    template: str
    style: Style
    active: dict
    apps: dict
    review: dict
    previous_present: bool  # the same agency published the year before


def _t4_zero_total(d: Draft, rng) -> str | None:
    groups = [g for g in ("review", "litigation_direct") if d.review[g]["total"] >= 2]
    if not groups:
        return None
    g = groups[int(rng.integers(len(groups)))]
    parts = d.review[g]["total"]
    d.review[g]["total"] = 0
    return f"{g} 总计印为 0，分项合计 {parts}"


def _t3_row_total_off(d: Draft, rng) -> str | None:
    row = d.apps["granted"]
    if row["total"] < 1:
        return None
    delta = 1 if rng.random() < 0.5 else -1
    row["total"] += delta
    return f"granted 行总计 {row['total']}，六类申请人合计 {row['total'] - delta}"


def _t3_flow_off(d: Draft, rng) -> str | None:
    row = d.apps["carried_forward"]
    row["natural_person"] += 1
    row["total"] += 1
    return f"carried_forward 自然人及总计各多 1（{row['total']}）"


def _carryover_mismatch(d: Draft, rng) -> str | None:
    if not d.previous_present:
        return None
    k = int(rng.integers(1, 4))
    # Keep the report's own rules intact: the extra cases are shown as granted.
    for row in ("carried_over", "granted", "total_processed"):
        d.apps[row]["natural_person"] += k
        d.apps[row]["total"] += k
    return f"carried_over 总计 {d.apps['carried_over']['total']}，比上年 carried_forward 多 {k}"


def _prose_figure(d: Draft, rng) -> str | None:
    k = int(rng.integers(2, 10))
    d.style.prose_offset = k
    return f"正文称共收到申请 {d.apps['new_received']['total'] + k} 件，表格为 {d.apps['new_received']['total']} 件"


def _last_year_text(d: Draft, rng) -> str | None:
    d.style.wrong_year_text = True
    return f"正文沿用 {d.year - 1} 年报告的年份"


def _township_regulation(d: Draft, rng) -> str | None:
    if d.agency.kind != "township":
        return None
    d.style.slash_regulations = False
    if d.template == "2021":
        d.active.update(regulations_issued=1, regulations_repealed=0, regulations_in_force=1)
    else:
        d.active.update(regulations_new_made=1, regulations_new_published=1, regulations_total_published=1)
    return "乡镇填报规章 1 件"


PLANTERS: dict[str, Callable[[Draft, np.random.Generator], str | None]] = {
    "T4_GROUP_SUM": _t4_zero_total,
    "T3_COLUMN_SUM": _t3_row_total_off,
    "T3_FLOW": _t3_flow_off,
    "X_CARRYOVER": _carryover_mismatch,
    "TEXT_VS_TABLE": _prose_figure,
    "YEAR_IN_TEXT": _last_year_text,
    "IMPLAUSIBLE_LEVEL": _township_regulation,
}


def plant(drafts: list[Draft], rng: np.random.Generator, per_rule: int) -> list[dict]:
    """Plant ``per_rule`` errors of each kind on distinct reports; return the planted list."""
    planted: list[dict] = []
    used: set[tuple[str, int]] = set()
    last_year = max(d.year for d in drafts)
    for rule, planter in PLANTERS.items():
        order = rng.permutation(len(drafts))
        done = 0
        for i in order:
            if done == per_rule:
                break
            d = drafts[int(i)]
            key = (d.agency.name, d.year)
            if key in used or (rule == "T3_FLOW" and d.year != last_year):
                continue
            detail = planter(d, rng)
            if detail is None:
                continue
            used.add(key)
            done += 1
            planted.append({"agency": d.agency.name, "year": d.year, "rule": rule, "detail": detail})
    return planted


def pick_copies(drafts: list[Draft], rng: np.random.Generator, n: int) -> list[tuple[Draft, Draft]]:
    """Pairs (source, copier) of townships of the same year: the copier reuses the source's prose.

    Neither report carries another planted error, so each finding has one cause.
    """
    clean = [d for d in drafts if d.agency.kind == "township" and not d.style.wrong_year_text
             and not d.style.prose_offset]
    by_year: dict[int, list[Draft]] = {}
    for d in clean:
        by_year.setdefault(d.year, []).append(d)
    years = sorted(y for y, ds in by_year.items() if len(ds) >= 2)
    pairs = []
    for k in range(min(n, len(years))):
        year = years[int(rng.integers(len(years)))] if k == 0 else years[(years.index(pairs[0][0].year) + k) % len(years)]
        a, b = rng.choice(len(by_year[year]), size=2, replace=False)
        pairs.append((by_year[year][int(a)], by_year[year][int(b)]))
    return pairs
