"""Rankings, intervals and funnels the comparison pages show, on frames built here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint

from analytics.dashboard import comparison


def _agencies():
    # Two one-case agencies at 100 % and 0 %, big agencies around 10 %, one big agency at 50 %.
    return pd.DataFrame({
        "agency_id": list("ABCDEFG"),
        "name": ["一件满", "一件零", "大甲", "大乙", "大丙", "大丁", "异常"],
        "level": ["county"] * 7, "kind": ["department"] * 7,
        "num": [1, 0, 12, 9, 11, 10, 60],
        "den": [1, 1, 120, 100, 110, 95, 120],
    }).assign(value=lambda d: d["num"] / d["den"])


def test_a_ranking_never_puts_an_agency_below_the_minimum_ahead_of_one_above_it():
    ranked = comparison.rank(_agencies(), "denial_rate", min_den=30, order="worst")
    eligible = ranked["eligible"].tolist()
    assert eligible == sorted(eligible, reverse=True)
    assert ranked.loc[0, "name"] == "异常"  # 50 % on 120 cases leads, not 100 % on one case
    assert (ranked.loc[ranked["eligible"], "den"] >= 30).all()
    assert set(ranked.loc[~ranked["eligible"], "name"]) == {"一件满", "一件零"}
    assert ranked.loc[~ranked["eligible"], "reason"].str.contains("分母不足 30 件").all()


def test_worst_follows_the_metric_polarity():
    df = _agencies()
    worse_when_higher = comparison.rank(df, "denial_rate", min_den=30, order="worst")
    better_when_higher = comparison.rank(df, "substantive_disclosure_rate", min_den=30, order="worst")
    assert worse_when_higher.loc[0, "value"] == df.loc[df["den"] >= 30, "value"].max()
    assert better_when_higher.loc[0, "value"] == df.loc[df["den"] >= 30, "value"].min()


def test_intervals_are_wilson_intervals():
    df = comparison.with_intervals(_agencies())
    lo, hi = proportion_confint(df["num"], df["den"], alpha=0.05, method="wilson")
    assert np.allclose(df["lo"], lo) and np.allclose(df["hi"], hi)


def test_the_funnel_finds_an_outlier_in_a_group_whose_median_is_zero():
    # Nine agencies with no refusal at all and one at 50 %: a median/MAD score is undefined here.
    df = pd.DataFrame({"agency_id": [f"a{i}" for i in range(10)], "level": "county", "kind": "town",
                       "num": [0] * 9 + [20], "den": [40] * 9 + [40]})
    out = comparison.funnel(df)
    assert out.loc[out["agency_id"] == "a9", "outside"].item() == "high"
    assert (out.loc[out["agency_id"] != "a9", "outside"] != "high").all()
    p0 = 20 / 400
    assert math.isclose(out["p0"].iloc[0], p0)
    assert math.isclose(out.loc[out["agency_id"] == "a9", "expected"].item(), 40 * p0)
    # The agency's upper 99.8 % limit is at least the binomial quantile, and its rate well above it.
    assert out.loc[out["agency_id"] == "a9", "hi998"].item() >= st.binom.ppf(0.999, 40, p0) / 40 - 1 / 40
    assert out.loc[out["agency_id"] == "a9", "rate"].item() > out.loc[out["agency_id"] == "a9", "hi998"].item()


def test_one_case_of_one_is_not_an_outlier():
    df = pd.DataFrame({"agency_id": ["x", "y", "z"], "level": "county", "kind": "town",
                       "num": [1, 5, 6], "den": [1, 100, 100]})
    out = comparison.funnel(df)
    assert out.loc[out["agency_id"] == "x", "outside"].item() == ""


def test_peer_groups_have_their_own_pooled_rate():
    df = pd.DataFrame({"agency_id": list("abcd"), "level": ["county", "county", "city", "city"], "kind": "department",
                       "num": [10, 30, 1, 3], "den": [100, 100, 100, 100]})
    out = comparison.funnel(df).set_index("agency_id")
    assert math.isclose(out.loc["a", "p0"], 0.2) and math.isclose(out.loc["c", "p0"], 0.02)
    assert out.loc["a", "n_peers"] == 2


def test_shrinkage_moves_small_agencies_more_than_large_ones():
    df = comparison.with_shrinkage(_agencies())
    pooled = df["num"].sum() / df["den"].sum()
    small = df.set_index("name").loc["一件满"]
    large = df.set_index("name").loc["异常"]
    assert abs(small["shrunk"] - pooled) < abs(small["value"] - pooled)
    moved_small = abs(small["shrunk"] - small["value"])
    moved_large = abs(large["shrunk"] - large["value"])
    assert moved_small > moved_large


def test_outlier_wording_reads_the_polarity():
    assert "需关注" in comparison.outlier_wording("denial_rate", "high")
    assert "较好" in comparison.outlier_wording("denial_rate", "low")
    assert "需关注" in comparison.outlier_wording("substantive_disclosure_rate", "low")


def test_curves_span_the_denominators():
    curves = comparison.funnel_curves(0.1, 500)
    assert curves["n"].min() == 1 and curves["n"].max() == 500
    assert (curves["hi998"] >= curves["hi95"]).all() and (curves["lo998"] <= curves["lo95"]).all()


def test_the_funnel_chart_draws_limits_and_marks_outliers_red():
    from analytics.dashboard import charts

    df = pd.DataFrame({"agency_id": [f"a{i}" for i in range(10)], "name": [f"机构{i}" for i in range(10)],
                       "level": "county", "kind": "town", "num": [0] * 9 + [20], "den": [40] * 10})
    points = comparison.funnel(df)
    fig = charts.control_funnel(points, comparison.funnel_curves(points["p0"].iloc[0], 40), "denial_rate")
    red = [t for t in fig.data if t.name == "控制限外（离群）"][0]
    assert list(red.text) == ["机构9"] and red.marker.color == charts.HIGHLIGHT
    assert sum(t.name == "99.8% 控制限" for t in fig.data) == 2
    assert fig.layout.xaxis.type == "log" and "分母" in fig.layout.xaxis.title.text


def test_a_worse_when_higher_metric_is_red_at_the_top_percentile():
    from analytics.dashboard import charts

    keys = ["denial_rate", "substantive_disclosure_rate", "legal_person_share"]
    df = pd.DataFrame({"name": ["甲", "乙"], "denial_rate": [1.0, 0.0], "substantive_disclosure_rate": [1.0, 0.0],
                       "legal_person_share": [1.0, 0.0]})
    fig = charts.percentile_heatmap(df, keys)
    trace = fig.data[0]
    scale = dict((round(p, 6), c) for p, c in reversed(trace.colorscale))

    def colour(row, col):
        frac = round((trace.z[row][col] - trace.zmin) / (trace.zmax - trace.zmin), 6)
        return scale.get(frac)

    assert colour(0, 0) == "#d73027"  # top percentile of refusals: red
    assert colour(1, 0) == "#1a9850"  # bottom percentile of refusals: green
    assert colour(0, 1) == "#1a9850"  # top percentile of substantive disclosure: green
    assert colour(0, 2) not in ("#d73027", "#1a9850")  # a neutral share is neither
    assert list(trace.customdata[0]) == [100, 100, 100]  # hover shows the real percentile


def test_the_caution_is_about_the_denominator_not_the_number_of_reports():
    from analytics.dashboard import ui

    assert ui.caution_text(29) == "⚠️ 分母小于 30"
    assert ui.caution_text(30) == ""
    assert ui.caution_text(float("nan")) == "" and ui.caution_text(None) == ""
    assert ui.caution_text(12, min_den=10) == ""
