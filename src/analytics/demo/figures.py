"""The seeded figure model: what each demo agency received, decided and disclosed, year by year.

Each agency has its own parameters (volume, outcome shares, review rates) drawn once; each year
draws counts around them. Stocks and carry-overs continue from one year to the next, so the
cross-year rules hold unless an error is planted. A government's jurisdiction report is its own
part plus the sum of its parts' figures, so it is never smaller than them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from ..fields import APPLICATION_COLS, DENIED_ROWS, OTHER_ROWS_2021, REFUSED_ROWS, UNABLE_ROWS
from .population import Agency, parts_of

YEARS = list(range(2019, 2026))
APPLICANTS = APPLICATION_COLS[:6]  # the six applicant columns; "total" is derived
REVIEW_PARTS = ["upheld", "corrected", "other", "pending"]
OUTCOME_ROWS = ["granted", "partially_granted", *DENIED_ROWS, *UNABLE_ROWS, *REFUSED_ROWS, *OTHER_ROWS_2021]
FLOW_ROWS = ["new_received", "carried_over", "total_processed", "carried_forward"]

# Applications received by the agency itself, per year (median of its base volume).
_ROLE_VOLUME = {
    "city_gov": 300.0, "city_office": 35.0, "city_dept": 28.0, "city_zone": 20.0,
    "county_gov": 70.0, "county_office": 8.0, "county_dept": 13.0, "county_zone": 6.0, "township": 1.1,
}
# Volumes rose after the 2019 revision of the regulation, then levelled off.
_YEAR_TREND = {2019: 0.8, 2020: 0.9, 2021: 1.0, 2022: 1.08, 2023: 1.12, 2024: 1.06, 2025: 1.0}

_DENIED_W = [0.02, 0.08, 0.05, 0.2, 0.15, 0.25, 0.1, 0.15]
_UNABLE_W = [0.8, 0.12, 0.08]
_REFUSED_W = [0.45, 0.3, 0.05, 0.1, 0.1]
_OTHER_W = [0.6, 0.05, 0.35]


@dataclass
class YearFigures:
    apps: dict[str, np.ndarray]  # application row key -> counts for the six applicant columns
    review: dict[str, np.ndarray]  # review group -> upheld, corrected, other, pending
    active: dict[str, float]  # every table 2 key of both templates

    def __add__(self, other: "YearFigures") -> "YearFigures":
        return YearFigures(
            {k: v + other.apps[k] for k, v in self.apps.items()},
            {k: v + other.review[k] for k, v in self.review.items()},
            {k: _add_money(k, v, other.active[k]) for k, v in self.active.items()},
        )


def _add_money(key: str, a: float, b: float) -> float:
    return round(a + b, 2) if key in ("fees_amount", "procurement_amount") else a + b


@dataclass
class AgencyParams:
    volume: float
    applicant_shares: np.ndarray
    outcome_p: np.ndarray  # probabilities over OUTCOME_ROWS
    carry_rate: float
    review_rate: float
    litigation_rate: float
    correction_rate: float
    stocks: dict = field(default_factory=dict)


def agency_rng(seed: int, name: str, salt: int = 0) -> np.random.Generator:
    """A generator of its own for each agency, so adding an agency does not reshuffle the others."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8")), salt])


def _params(rng: np.random.Generator, agency: Agency) -> AgencyParams:
    volume = _ROLE_VOLUME[agency.role] * agency.weight * float(rng.lognormal(0.0, 0.35))
    shares = rng.dirichlet(np.array([0.88, 0.06, 0.004, 0.006, 0.02, 0.03]) * 60 + 0.05)
    granted, partial = rng.uniform(0.30, 0.50), rng.uniform(0.05, 0.10)
    denied, unable = rng.uniform(0.03, 0.08), rng.uniform(0.20, 0.35)
    rest = max(0.05, 1.0 - granted - partial - denied - unable)
    refused, other = rest * 0.6, rest * 0.4
    p = np.concatenate([
        [granted, partial],
        denied * np.array(_DENIED_W), unable * np.array(_UNABLE_W),
        refused * np.array(_REFUSED_W), other * np.array(_OTHER_W),
    ])
    return AgencyParams(
        volume=volume,
        applicant_shares=shares,
        outcome_p=p / p.sum(),
        carry_rate=float(rng.uniform(0.02, 0.08)),
        review_rate=float(rng.uniform(0.02, 0.05)),
        litigation_rate=float(rng.uniform(0.5, 0.9)),
        correction_rate=float(rng.uniform(0.10, 0.20)),
    )


def _draw_volume(rng: np.random.Generator, agency: Agency, p: AgencyParams, year: int) -> int:
    lam = p.volume * _YEAR_TREND[year] * float(rng.lognormal(0.0, 0.25))
    if agency.role == "township" and rng.random() < 0.35:
        return 0  # many townships receive nothing in a year
    return int(rng.poisson(lam))


def _review_group(rng, cases: int, pending_share: float, correction: float) -> np.ndarray:
    pending = int(rng.binomial(cases, pending_share))
    decided = cases - pending
    corrected = int(rng.binomial(decided, correction))
    upheld = int(rng.binomial(decided - corrected, 0.8))
    return np.array([upheld, corrected, decided - corrected - upheld, pending], dtype=np.int64)


def _active_base(rng: np.random.Generator, agency: Agency) -> dict:
    """Starting stocks and per-year means of table 2 for the agency's own part."""
    role, w = agency.role, agency.weight
    dept = role.endswith("dept")
    gov = role.endswith("gov")
    return {
        "regulations": role == "city_gov",
        "normative_rate": 10.0 if role == "city_gov" else 6.0 if gov else 1.5 if dept or role.endswith("zone") else 0.0,
        "normative_stock": int(rng.integers(40, 120)) if gov else int(rng.integers(3, 30)) if dept else 0,
        "regulations_stock": int(rng.integers(50, 90)),
        "regulations_published": int(rng.integers(150, 260)),
        "licensing": (300.0 * w if dept else 40.0 if role.endswith("zone") else 15.0 if role == "township" else 0.0)
        * float(rng.lognormal(0, 0.6)),
        "punishment": (150.0 * w if dept else 8.0 if role == "township" else 0.0) * float(rng.lognormal(0, 0.8)),
        "coercion": (6.0 * w if dept else 0.3 if role == "township" else 0.0) * float(rng.lognormal(0, 0.8)),
        "fees": (float(rng.lognormal(3.0, 1.2)) if dept and rng.random() < 0.45 else 0.0),
        "items": {k: int(rng.integers(lo, hi)) if dept or role == "township" else 0 for k, (lo, hi) in {
            "licensing": (10, 80), "other_services": (5, 40), "punishment": (50, 400),
            "coercion": (5, 40), "fees": (1, 12)}.items()},
        "procurement": dept or gov,
    }


def _active_year(rng, base: dict, year: int, stocks: dict) -> dict:
    a: dict[str, float] = {}
    if base["regulations"]:
        issued, repealed = int(rng.poisson(3)), int(rng.poisson(1))
    else:
        issued = repealed = 0
    stocks["reg"] = stocks.get("reg", base["regulations_stock"] if base["regulations"] else 0) + issued - repealed
    stocks["reg_pub"] = stocks.get("reg_pub", base["regulations_published"] if base["regulations"] else 0) + issued
    n_issued = int(rng.poisson(base["normative_rate"]))
    n_repealed = min(int(rng.poisson(base["normative_rate"] * 0.4)), stocks.get("norm", base["normative_stock"]))
    gap = int(rng.choice([-1, 0, 0, 0, 0, 0, 1])) if stocks.get("norm", base["normative_stock"]) > 5 else 0
    stocks["norm"] = stocks.get("norm", base["normative_stock"]) + n_issued - n_repealed + gap
    stocks["norm_pub"] = stocks.get("norm_pub", base["normative_stock"] * 3) + n_issued
    a.update(
        regulations_issued=issued, regulations_repealed=repealed, regulations_in_force=stocks["reg"],
        normative_issued=n_issued, normative_repealed=n_repealed, normative_in_force=stocks["norm"],
        regulations_new_made=issued, regulations_new_published=issued, regulations_total_published=stocks["reg_pub"],
        normative_new_made=n_issued, normative_new_published=n_issued, normative_total_published=stocks["norm_pub"],
    )
    trend = _YEAR_TREND[year]
    a["licensing_decisions"] = int(rng.poisson(base["licensing"] * trend))
    a["punishment_decisions"] = int(rng.poisson(base["punishment"] * trend))
    a["coercion_decisions"] = int(rng.poisson(base["coercion"] * trend))
    a["other_services_decisions"] = int(rng.poisson(base["licensing"] * 0.3))
    fee = base["fees"] * float(rng.lognormal(0, 0.2)) if base["fees"] else 0.0
    a["fees_amount"] = round(fee, 2)
    for key, start in base["items"].items():
        prev = stocks.setdefault(f"items_{key}", start)
        change = int(rng.integers(-3, 4)) if prev > 3 else int(rng.integers(0, 3)) if start else 0
        a[f"{key}_prev_items"] = prev
        a[f"{key}_change"] = change
        stocks[f"items_{key}"] = prev + change
    a["procurement_items"] = int(rng.poisson(8)) if base["procurement"] else 0
    a["procurement_amount"] = round(a["procurement_items"] * float(rng.lognormal(3.5, 0.8)), 2)
    return a


def own_figures(seed: int, agency: Agency) -> dict[int, YearFigures]:
    """The agency's own figures for every year (for a government: excluding its parts)."""
    rng = agency_rng(seed, agency.name)
    p = _params(rng, agency)
    base = _active_base(rng, agency)
    stocks: dict = {}
    out: dict[int, YearFigures] = {}
    prev_forward: np.ndarray | None = None
    pending_share = float(rng.uniform(0.05, 0.2))
    for year in YEARS:
        n = _draw_volume(rng, agency, p, year)
        new = rng.multinomial(n, p.applicant_shares).astype(np.int64)
        carried = prev_forward if prev_forward is not None else rng.binomial(new, 0.04).astype(np.int64)
        workload = new + carried
        forward = rng.binomial(workload, p.carry_rate).astype(np.int64)
        processed = workload - forward
        outcomes = np.stack([rng.multinomial(int(c), p.outcome_p) for c in processed], axis=1)
        apps = {"new_received": new, "carried_over": carried}
        for i, row in enumerate(OUTCOME_ROWS):
            apps[row] = outcomes[i].astype(np.int64)
        apps["total_processed"] = processed
        apps["carried_forward"] = forward
        prev_forward = forward
        total = int(new.sum())
        reviews = int(rng.binomial(total, p.review_rate))
        review = _review_group(rng, reviews, pending_share, p.correction_rate)
        direct = _review_group(rng, int(rng.binomial(total, p.review_rate * p.litigation_rate)), 0.2,
                               p.correction_rate * 0.5)
        after = _review_group(rng, int(rng.binomial(int(review[0] + review[2]), 0.3)), 0.25, p.correction_rate * 0.4)
        out[year] = YearFigures(
            apps, {"review": review, "litigation_direct": direct, "litigation_after_review": after},
            _active_year(rng, base, year, stocks),
        )
    return out


def population_figures(seed: int, agencies: list[Agency]) -> dict[str, dict[int, YearFigures]]:
    """Figures of every agency; a government's are its own part plus its parts' (jurisdiction)."""
    own = {a.name: own_figures(seed, a) for a in agencies}
    done: dict[str, dict[int, YearFigures]] = {}

    def total(agency: Agency) -> dict[int, YearFigures]:
        if agency.name in done:
            return done[agency.name]
        figs = dict(own[agency.name])
        if agency.is_jurisdiction:
            for part in parts_of(agencies, agency):
                sub = total(part)
                figs = {y: figs[y] + sub[y] for y in YEARS}
                # Regulations are the government's own acts; parts never add to them.
        done[agency.name] = figs
        return figs

    for a in agencies:
        total(a)
    return done
