"""Statistics for comparing rates across agencies of very different sizes (docs/spec/comparisons.md).

Pure functions over arrays of counts: an agency's rate is ``k / n`` (k cases of n), and everything
here is about how much that fraction can be trusted when n is small.

- ``wilson``: the Wilson score interval of one rate (sound at n = 1 and at k = 0 or k = n, where the
  textbook ``p ± z·√(p(1−p)/n)`` collapses to a point);
- ``funnel_limits``: control limits around a peer group's pooled rate for any denominator, from
  exact binomial quantiles with Spiegelhalter's interpolation (Stat Med 2005), so that a funnel
  plot's 95 % and 99.8 % curves are right for small n too;
- ``exact_limits``: the same limits drawn so that they agree with ``outliers`` point for point;
- ``outliers``: which agencies lie outside those limits, with observed and expected counts —
  unlike a median/MAD score this works when most peers are at 0 %;
- ``shrink``: empirical-Bayes (beta-binomial) estimates that pull small agencies toward the pooled
  rate, for rankings that are not led by one-case agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

Z95 = 1.959963984540054
# The two funnel limits of the comparison pages: 95 % ("warning") and 99.8 % ("alarm").
LEVELS = (0.95, 0.998)
MIN_DENOMINATOR = 30  # cases below which a rate is shown apart from a ranking by default


def _arrays(k, n):
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    if np.any(k < 0) or np.any(n < 0) or np.any(k > n):
        raise ValueError("counts must satisfy 0 <= k <= n")
    return k, n


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper Wilson score bounds of k/n; NaN where n is 0 (no rate at all)."""
    k, n = _arrays(k, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        lo, hi = centre - half, centre + half
    lo = np.where(n > 0, np.clip(lo, 0, 1), np.nan)
    hi = np.where(n > 0, np.clip(hi, 0, 1), np.nan)
    return lo, hi


def pooled_rate(k, n) -> float:
    """The peer group's rate: all cases over all denominators (not a mean of rates)."""
    k, n = _arrays(k, n)
    total = n.sum()
    return float(k.sum() / total) if total > 0 else float("nan")


def funnel_limits(p0: float, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of a rate with denominator n when the true rate is p0.

    The binomial quantile r_p is a whole number of cases, so the limit steps; Spiegelhalter's
    interpolation α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)) smooths it to (r_p − α) / n.
    """
    n = np.asarray(n, dtype="float64")
    out = []
    for prob in ((1 - level) / 2, (1 + level) / 2):
        r = _st.binom.ppf(prob, n, p0)
        f_r = _st.binom.cdf(r, n, p0)
        f_below = _st.binom.cdf(r - 1, n, p0)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = np.where(f_r > f_below, (f_r - prob) / (f_r - f_below), 0.0)
            limit = np.where(n > 0, (r - alpha) / n, np.nan)
        out.append(np.clip(limit, 0, 1))
    return out[0], out[1]


def exact_limits(p0: float, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits that agree with ``outliers``: a rate k/n lies above the upper one exactly when
    P(X >= k) < (1 − level)/2 under the pooled rate, and below the lower one exactly when
    P(X <= k) < (1 − level)/2. Each limit sits half a case beyond the last count that is not an
    outlier, so no point is drawn outside the funnel without being listed as an outlier (the
    interpolated limits of ``funnel_limits`` put 1 case of 1 outside at small p0)."""
    n = np.asarray(n, dtype="float64")
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        hi = np.where(n > 0, (_st.binom.ppf(1 - tail, n, p0) + 0.5) / n, np.nan)
        lo = np.where(n > 0, (_st.binom.ppf(tail, n, p0) - 0.5) / n, np.nan)
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


@dataclass(frozen=True)
class Outlier:
    index: int
    observed: int
    expected: float
    rate: float
    side: str  # "high" | "low"


def outliers(k, n, level: float = LEVELS[1], p0: float | None = None) -> list[Outlier]:
    """Agencies whose rate lies outside the ``level`` funnel limits around the pooled rate."""
    k, n = _arrays(k, n)
    p0 = pooled_rate(k, n) if p0 is None else p0
    if not np.isfinite(p0):
        return []
    tail = (1 - level) / 2
    # Decided by exact binomial tail probabilities rather than against the drawn (interpolated)
    # curve: 1 case of 1 is not evidence of anything, although 100 % lies above the curve there.
    high = _st.binom.sf(k - 1, n, p0)  # P(X >= k)
    low = _st.binom.cdf(k, n, p0)  # P(X <= k)
    found = []
    for i in np.flatnonzero(n > 0):
        if high[i] < tail or low[i] < tail:
            found.append(Outlier(int(i), int(k[i]), float(n[i] * p0), float(k[i] / n[i]),
                                 "high" if high[i] < tail else "low"))
    return found


def beta_prior(k, n) -> tuple[float, float]:
    """Beta(a, b) fitted to the peers' rates by the method of moments, with the binomial part of
    their spread taken out; a group with no spread beyond chance gets a very strong prior."""
    k, n = _arrays(k, n)
    keep = n > 0
    k, n = k[keep], n[keep]
    if len(n) == 0:
        raise ValueError("no agency with a denominator")
    p0 = k.sum() / n.sum()
    if p0 in (0.0, 1.0):
        return (1e-6, 1e6) if p0 == 0 else (1e6, 1e-6)
    rates = k / n
    weights = n / n.sum()
    spread = float(np.sum(weights * (rates - p0) ** 2))
    chance = p0 * (1 - p0) * float(np.sum(weights / n))
    between = max(spread - chance, 1e-12)
    strength = max(p0 * (1 - p0) / between - 1, 1e-6)  # a + b
    return p0 * strength, (1 - p0) * strength


def shrink(k, n, prior: tuple[float, float] | None = None) -> np.ndarray:
    """Posterior mean (k + a) / (n + a + b): a small agency moves toward the pooled rate, a large
    one keeps close to its own."""
    k, n = _arrays(k, n)
    a, b = prior or beta_prior(k, n)
    return (k + a) / (n + a + b)
