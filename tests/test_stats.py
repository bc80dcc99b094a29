"""The comparison statistics against scipy and statsmodels, on data built here."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint

from analytics import stats
from analytics.stats import beta_prior, funnel_limits, outliers, pooled_rate, shrink, wilson


@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (0, 30), (3, 7), (50, 100), (999, 1000), (1, 2)])
def test_wilson_equals_statsmodels(k, n):
    lo, hi = wilson([k], [n])
    ref_lo, ref_hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert lo[0] == pytest.approx(ref_lo, abs=1e-12) and hi[0] == pytest.approx(ref_hi, abs=1e-12)


def test_wilson_of_no_cases_is_undefined_and_bad_counts_are_refused():
    lo, hi = wilson([0], [0])
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    with pytest.raises(ValueError):
        wilson([3], [2])


def test_funnel_limits_narrow_with_n_and_false_alarms_stay_below_the_level():
    """An agency whose true rate is the peers' rate is called an outlier with probability at most
    1 − level, at every denominator (exact binomial tails), and the drawn limits narrow as n grows."""
    p0 = 0.12
    ns = np.array([1, 5, 20, 50, 200, 1000])
    for level in (0.95, 0.998):
        lo, hi = funnel_limits(p0, ns, level)
        assert np.all(np.diff(hi - lo) < 0) and np.all(lo <= p0) and np.all(hi >= p0)
        for n in ns:
            ks = np.arange(n + 1)
            flagged = {o.index for o in outliers(ks, np.full(n + 1, n), level, p0=p0)}
            alarm = st.binom.pmf(ks, n, p0)[sorted(flagged)].sum() if flagged else 0.0
            assert alarm <= 1 - level + 1e-12, (n, level, alarm)
    # For large n the exact limits meet the normal approximation.
    lo, hi = funnel_limits(p0, [100000], 0.998)
    half = st.norm.ppf(0.999) * np.sqrt(p0 * (1 - p0) / 100000)
    assert lo[0] == pytest.approx(p0 - half, abs=2e-4) and hi[0] == pytest.approx(p0 + half, abs=2e-4)


def test_an_agency_at_half_refused_is_an_outlier_in_a_group_at_zero():
    """A median/MAD score gives nothing when the peers' median and spread are 0; the funnel does."""
    k = [0] * 20 + [20]
    n = [40] * 20 + [40]
    found = outliers(k, n)
    assert [o.index for o in found] == [20]
    assert found[0].side == "high" and found[0].observed == 20
    assert found[0].expected == pytest.approx(40 * pooled_rate(k, n))


def test_one_case_at_one_hundred_percent_is_not_an_outlier():
    k = [1] + [10] * 10
    n = [1] + [100] * 10
    assert outliers(k, n) == []


def test_shrinkage_moves_small_agencies_toward_the_pooled_rate_more_than_large_ones():
    rng = np.random.default_rng(7)
    n = np.concatenate([np.full(30, 400), [2, 3]])
    true = rng.beta(20, 80, size=len(n))
    k = rng.binomial(n, true)
    k[-2:] = n[-2:]  # two tiny agencies at 100 %
    p0 = pooled_rate(k, n)
    est = shrink(k, n)
    raw = k / n
    assert np.all(np.abs(est - p0) <= np.abs(raw - p0) + 1e-12)
    assert est[-1] < 0.5 and est[-2] < 0.5  # no longer at the top of a ranking
    big_move = np.abs(est[:30] - raw[:30]).max()
    assert big_move < 0.05
    a, b = beta_prior(k, n)
    assert a / (a + b) == pytest.approx(p0)


@pytest.mark.parametrize("p0", [0.003, 0.05, 0.3, 0.9])
@pytest.mark.parametrize("level", stats.LEVELS)
def test_drawn_exact_limits_agree_with_the_outliers_point_for_point(p0, level):
    tail = (1 - level) / 2
    for n in (1, 2, 3, 7, 30, 250):
        k = np.arange(n + 1)
        lo, hi = stats.exact_limits(p0, np.full(n + 1, n), level)
        above = k / n > hi
        below = k / n < lo
        assert (above == (st.binom.sf(k - 1, n, p0) < tail)).all(), (n, p0)
        assert (below == (st.binom.cdf(k, n, p0) < tail)).all(), (n, p0)
        flagged = {o.index: o.side for o in stats.outliers(k, np.full(n + 1, n), level, p0=p0)}
        assert flagged == {i: "high" for i in np.flatnonzero(above)} | {i: "low" for i in np.flatnonzero(below)}


def test_one_case_of_one_lies_inside_the_drawn_limits():
    lo, hi = stats.exact_limits(0.05, [1], stats.LEVELS[1])
    assert hi[0] == 1.0 and lo[0] == 0.0
