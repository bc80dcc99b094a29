"""Numbers of the synthetic reports, drawn year by year for all agencies at once.

Everything is a numpy array over the agencies of one year: no Python work per report. The shapes
follow real reports: townships get a handful of applications, departments tens, county
governments hundreds, city governments thousands; outcomes, reviews and suits in the shares real
reports show; carried_over continues last year's carried_forward. A small share of reports carries
the defects real reports have (blank totals, sums that do not add up, broken carry-overs), so the
rules have something to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import fields as F

YEARS = list(range(2019, 2026))
ROWS = F.APPLICATION_ROWS            # 26 row keys, in the table's order
COLS = F.APPLICATION_COLS            # six applicant columns, then "total"
R = {k: i for i, k in enumerate(ROWS)}
OTHER3 = F.OTHER_ROWS_2021
GROUPS = F.REVIEW_GROUPS
RCOLS = F.REVIEW_COLS                # upheld, corrected, other, pending, total

# Median applications a year by (level, kind).
MEDIAN_APPS = {
    ("province", "government"): 3000, ("province", "office"): 150, ("province", "department"): 60,
    ("city", "government"): 1500, ("city", "office"): 40, ("city", "department"): 25,
    ("county", "government"): 150, ("county", "office"): 10, ("county", "department"): 8,
    ("township", "township"): 3,
}
APPLICANT_SHARES = np.array([0.86, 0.06, 0.005, 0.01, 0.03, 0.035])
OUTCOME_SHARES = np.array([
    0.35, 0.12,                                              # granted, partially granted
    0.003, 0.004, 0.002, 0.008, 0.008, 0.012, 0.005, 0.008,  # denied (8 reasons)
    0.25, 0.05, 0.03,                                        # unable (3)
    0.02, 0.02, 0.003, 0.005, 0.005,                         # refused (5)
    0.04, 0.002, 0.04,                                       # other handling (3)
])
OUTCOME_SHARES = OUTCOME_SHARES / OUTCOME_SHARES.sum()
REVIEW_RATES = np.array([0.03, 0.012, 0.005])        # per application: review, direct suit, after review
REVIEW_SHARES = np.array([0.62, 0.12, 0.16, 0.10])   # upheld, corrected, other, pending

# Rates of the defects real reports show.
P_MISSING_YEAR = 0.02
P_KEEP_SINGLE_OTHER = 0.03      # 2021-template report keeping the single other_total row
P_WRONG_TEMPLATE = 0.005
P_BLANK_TOTAL = 0.01
P_BAD_ROW_TOTAL = 0.008
P_BAD_FLOW = 0.005
P_BAD_REVIEW = 0.005
P_BROKEN_CARRYOVER = 0.02
P_STOCK_GAP = 0.01
P_IMPLAUSIBLE_REGULATION = 0.002


@dataclass
class YearBatch:
    """All reports of one year: row i belongs to agency ``agency_idx[i]``."""

    year: int
    agency_idx: np.ndarray
    template: np.ndarray            # "2019" | "2021"
    apps: np.ndarray                # float (n, 26, 7); NaN where the row is absent or blank
    present: np.ndarray             # bool (n, 26): the report has this row
    blank: np.ndarray               # bool (n, 26, 7): the cell is printed blank
    review: np.ndarray              # float (n, 3, 5)
    active: np.ndarray              # float (n, len(ACTIVE_KEYS)); NaN where not in the template
    published_days: np.ndarray      # int days after 1 January of the next year; -1 when unknown


def _noisy_shares(rng, base: np.ndarray, n: int, concentration: float) -> np.ndarray:
    g = rng.gamma(base * concentration, size=(n, base.size))
    s = g.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return g / s


class Population:
    """Draws the reports of every year for a frame of agencies."""

    def __init__(self, agencies, rng: np.random.Generator):
        self.rng = rng
        self.n = n = len(agencies)
        self.level = agencies["level"].to_numpy()
        self.kind = agencies["kind"].to_numpy()
        median = np.array([MEDIAN_APPS[(lv, k)] for lv, k in zip(self.level, self.kind)], float)
        self.mu = median * rng.lognormal(0.0, 0.7, n)
        self.dispute = rng.lognormal(0.0, 0.5, n)
        self.is_gov = self.kind == "government"
        self.makes_regulations = self.is_gov & (
            (self.level == "province") | ((self.level == "city") & (rng.random(n) < 0.6)))
        self.reg_stock = np.where(self.makes_regulations,
                                  rng.poisson(np.where(self.level == "province", 150, 20)), 0)
        norm_base = np.where(self.is_gov, 40, np.where(self.kind == "township", 2, 10))
        self.norm_stock = rng.poisson(norm_base * np.where(self.level == "province", 3, 1))
        lic_median = np.where(self.kind == "department", 400, np.where(self.is_gov, 50, 5))
        self.lic_mu = lic_median * rng.lognormal(0, 1.0, n)
        self.pun_mu = lic_median * 0.6 * rng.lognormal(0, 1.0, n)
        self.fee_mu = np.where(self.kind == "department", 300.0, 0.0) * rng.lognormal(0, 1.2, n)
        self.prev_cf = None
        self.prev_present = np.zeros(n, bool)

    def year(self, year: int) -> YearBatch:
        rng, n = self.rng, self.n
        present_agency = rng.random(n) >= P_MISSING_YEAR
        if year == YEARS[0]:
            present_agency[:] = True
        idx = np.flatnonzero(present_agency)
        m = idx.size

        new_template = year >= F.TEMPLATE_2021_FIRST_YEAR
        template = np.where(new_template, "2021", "2019").repeat(m).astype(object)
        wrong = rng.random(m) < P_WRONG_TEMPLATE
        template[wrong] = np.where(new_template, "2019", "2021")
        single_other = (template == "2019") | (rng.random(m) < P_KEEP_SINGLE_OTHER)

        # Applications received, by applicant type.
        growth = 1.08 ** (year - YEARS[0])
        mean = self.mu[idx] * growth * rng.lognormal(0.0, 0.25, m)
        new_total = rng.poisson(mean)
        new = rng.multinomial(new_total, _noisy_shares(rng, APPLICANT_SHARES, m, 60.0))

        # Carried over: last year's carried forward where the agency reported last year.
        fresh = rng.binomial(new, 0.03)
        if self.prev_cf is not None:
            had = self.prev_present[idx]
            co = np.where(had[:, None], self.prev_cf[idx], fresh)
        else:
            had = np.zeros(m, bool)
            co = fresh
        broken_co = had & (rng.random(m) < P_BROKEN_CARRYOVER)
        co = co.copy()
        co[broken_co, 0] += rng.integers(1, 4, broken_co.sum())

        workload = new + co
        cf = rng.binomial(workload, rng.beta(2.0, 40.0, m)[:, None])
        processed = workload - cf
        outcomes = rng.multinomial(processed, _noisy_shares(rng, OUTCOME_SHARES, m, 30.0)[:, None, :])

        apps = np.full((m, len(ROWS), len(COLS)), np.nan)
        apps[:, R["new_received"], :6] = new
        apps[:, R["carried_over"], :6] = co
        apps[:, R["granted"]: R["other_misc"] + 1, :6] = outcomes.transpose(0, 2, 1)
        apps[:, R["total_processed"], :6] = processed
        apps[:, R["carried_forward"], :6] = cf
        other_sum = outcomes[:, :, -3:].sum(axis=2)
        apps[single_other, R["other_total"], :6] = other_sum[single_other]
        for k in OTHER3:
            apps[single_other, R[k], :6] = np.nan
        apps[:, :, 6] = apps[:, :, :6].sum(axis=2)

        present = np.ones((m, len(ROWS)), bool)
        present[single_other, R["other_no_correction"]: R["other_misc"] + 1] = False
        present[~single_other, R["other_total"]] = False

        # Defects: totals that do not add up, a broken flow, blank total cells.
        bad_row = rng.random(m) < P_BAD_ROW_TOTAL
        rows_bad = rng.integers(R["granted"], R["unable_unclear"] + 1, m)
        apps[bad_row, rows_bad[bad_row], 6] += rng.integers(1, 6, bad_row.sum())
        bad_flow = rng.random(m) < P_BAD_FLOW
        apps[bad_flow, R["carried_forward"], 0] += rng.integers(1, 4, bad_flow.sum())
        apps[bad_flow, R["carried_forward"], 6] = apps[bad_flow, R["carried_forward"], :6].sum(1)
        blank = np.zeros(apps.shape, bool)
        has_blank = rng.random(m) < P_BLANK_TOTAL
        blank_row = rng.integers(R["granted"], R["unable_unclear"] + 1, m)
        blank[has_blank, blank_row[has_blank], 6] = True
        apps[blank] = np.nan

        # Review and litigation.
        rate = REVIEW_RATES[None, :] * self.dispute[idx][:, None]
        totals = rng.poisson(new_total[:, None] * rate)
        split = rng.multinomial(totals, REVIEW_SHARES)
        review = np.concatenate([split, totals[:, :, None]], axis=2).astype(float)
        bad_rv = rng.random(m) < P_BAD_REVIEW
        review[bad_rv, 0, 4] += rng.integers(1, 4, bad_rv.sum())

        active = self._active(idx, template, year)

        deadline = np.where(self.is_gov[idx], 89, 30)   # 31 March / 31 January, as day offsets
        late = rng.random(m) < 0.07
        days = np.where(late, deadline + rng.integers(1, 120, m), deadline - rng.integers(0, 60, m))
        days[rng.random(m) < 0.03] = -1

        cf_published = np.nan_to_num(apps[:, R["carried_forward"], :])
        full_cf = np.zeros((n, len(COLS)), np.int64)
        full_cf[idx] = cf_published.astype(np.int64)
        self.prev_cf = full_cf[:, :6]
        self.prev_present = present_agency
        return YearBatch(
            year=year, agency_idx=idx, template=template, apps=apps, present=present, blank=blank,
            review=review, active=active, published_days=days,
        )

    def _active(self, idx, template, year) -> np.ndarray:
        rng, m = self.rng, idx.size
        keys = F.ACTIVE_KEYS
        col = {k: i for i, k in enumerate(keys)}
        out = np.full((m, len(keys)), np.nan)
        regs = self.makes_regulations[idx]
        reg_issued = rng.poisson(np.where(regs, np.where(self.level[idx] == "province", 4, 1), 0))
        reg_repealed = np.minimum(rng.poisson(np.where(regs, 1, 0)), self.reg_stock[idx])
        odd = (self.kind[idx] == "township") & (rng.random(m) < P_IMPLAUSIBLE_REGULATION)
        reg_issued = reg_issued + odd
        norm_issued = rng.poisson(np.where(self.is_gov[idx], 8, 2))
        norm_repealed = np.minimum(rng.poisson(np.where(self.is_gov[idx], 3, 1)),
                                   self.norm_stock[idx])
        reg_stock = self.reg_stock[idx] + reg_issued - reg_repealed
        norm_stock = self.norm_stock[idx] + norm_issued - norm_repealed
        gap = rng.random(m) < P_STOCK_GAP
        norm_stock_printed = norm_stock + gap * rng.integers(2, 10, m)
        self.reg_stock[idx] = reg_stock
        self.norm_stock[idx] = norm_stock
        lic = rng.poisson(self.lic_mu[idx])
        pun = rng.poisson(self.pun_mu[idx])
        coe = rng.poisson(self.pun_mu[idx] * 0.05)
        new_t = template == "2021"
        old_t = ~new_t
        fees = np.round(self.fee_mu[idx] * rng.lognormal(0, 0.3, m), 1)
        for k, v in (("licensing_decisions", lic), ("punishment_decisions", pun),
                     ("coercion_decisions", coe)):
            out[:, col[k]] = v
        for k, v in (("regulations_issued", reg_issued), ("regulations_repealed", reg_repealed),
                     ("regulations_in_force", reg_stock), ("normative_issued", norm_issued),
                     ("normative_repealed", norm_repealed), ("normative_in_force", norm_stock_printed),
                     ("fees_amount", fees)):
            out[new_t, col[k]] = v[new_t]
        items = rng.poisson(np.where(self.is_gov[idx], 30, 8)[:, None], (m, 5))
        change = rng.integers(-2, 3, (m, 5))
        old = {
            "regulations_new_made": reg_issued, "regulations_new_published": reg_issued,
            "regulations_total_published": reg_stock + rng.poisson(5, m) * regs,
            "normative_new_made": norm_issued, "normative_new_published": norm_issued,
            "normative_total_published": norm_stock + rng.poisson(10, m),
            "licensing_prev_items": items[:, 0], "licensing_change": change[:, 0],
            "other_services_prev_items": items[:, 1], "other_services_change": change[:, 1],
            "other_services_decisions": rng.poisson(self.lic_mu[idx] * 0.3),
            "punishment_prev_items": items[:, 2], "punishment_change": change[:, 2],
            "coercion_prev_items": items[:, 3], "coercion_change": change[:, 3],
            "fees_prev_items": items[:, 4], "fees_change": change[:, 4],
            "procurement_items": rng.poisson(np.where(self.is_gov[idx], 20, 5)),
            "procurement_amount": np.round(rng.lognormal(5, 1.5, m), 2),
        }
        for k, v in old.items():
            out[old_t, col[k]] = v[old_t]
        return out
