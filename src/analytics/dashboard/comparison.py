"""Honest comparisons of agencies' rates: intervals, rankings with a minimum base, funnel plots.

Pure functions from DataFrames the queries return (one row per agency with its summed numerator
``num`` and denominator ``den``) to DataFrames the pages show; the statistics are in
``analytics.stats``. What a page says about an agency's rate rests on its denominator, never on
how many reports it filed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..metrics import metric

PEER_KEYS = ("level", "kind")
GROUP_SEPARATOR = " · "

METHOD_TEXT = (
    "**区间与排名**：每个比率附 95% Wilson 区间（分母越小区间越宽）；排名只在分母不少于“最少分母”的机构之间进行，"
    "其余机构列在后面并注明原因。**收缩估计**（经验贝叶斯）：以同类组（相同层级与类型）的比率分布为先验"
    "Beta(a, b)（矩估计，扣除二项抽样波动），估计值为 (分子 + a) / (分母 + a + b)，分母小的机构更靠近同类合并比率。"
    "**离群**：以同类组合并比率 p₀ = Σ分子 / Σ分母 为中心，按二项分布计算每个分母下的 95% 与 99.8% 控制限"
    "（Spiegelhalter 插值），落在 99.8% 控制限之外的机构为离群；观察数与期望数（分母 × p₀）并列。"
)


def _counts(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    k = pd.to_numeric(df["num"], errors="coerce").fillna(0).to_numpy(dtype="float64")
    n = pd.to_numeric(df["den"], errors="coerce").fillna(0).to_numpy(dtype="float64")
    # A published table can count more refusals than applications; the interval is then of 100 %.
    return np.minimum(k, n), n


def with_intervals(df: pd.DataFrame) -> pd.DataFrame:
    """Adds ``lo``/``hi``, the 95 % Wilson interval of each rate (NaN where there is no base)."""
    k, n = _counts(df)
    lo, hi = stats.wilson(k, n)
    return df.assign(lo=lo, hi=hi)


def _peer_groups(df: pd.DataFrame):
    keys = [c for c in PEER_KEYS if c in df.columns]
    if not keys:
        return [(None, df.index)]
    filled = df[keys].astype("object").where(df[keys].notna(), "—")
    return list(filled.groupby(keys, sort=False).groups.items())


def with_shrinkage(df: pd.DataFrame) -> pd.DataFrame:
    """Adds ``shrunk``: each rate pulled toward its peer group's pooled rate by its base (beta-binomial)."""
    out = np.full(len(df), np.nan)
    for _, idx in _peer_groups(df):
        pos = df.index.get_indexer(idx)
        k, n = _counts(df.iloc[pos])
        if (n > 0).sum() == 0:
            continue
        values = stats.shrink(k, n)
        out[pos] = np.where(n > 0, values, np.nan)
    return df.assign(shrunk=out)


def rank(df: pd.DataFrame, metric_key: str, *, min_den: int, order: str = "worst",
         by: str = "value") -> pd.DataFrame:
    """Agencies ordered for a ranking: every one at or above ``min_den`` before any below it.

    ``order`` is "worst" or "best" (read through the metric's polarity; for a neutral metric worst
    means highest), or "desc"/"asc" directly. Adds ``eligible`` and ``reason`` (why an agency is
    shown apart), and the Wilson interval.
    """
    m = metric(metric_key)
    df = with_intervals(df)
    if m.is_ratio:
        eligible = pd.to_numeric(df["den"], errors="coerce").fillna(0) >= min_den
    else:
        eligible = pd.Series(True, index=df.index)
    if order in ("worst", "best"):
        worse_is_higher = m.direction <= 0
        descending = worse_is_higher if order == "worst" else not worse_is_higher
    elif order in ("desc", "asc"):
        descending = order == "desc"
    else:
        raise ValueError(f"unknown order {order!r}")
    reason = np.where(eligible, "", f"分母不足 {min_den} 件，未参与排名")
    out = df.assign(eligible=eligible.to_numpy(), reason=reason)
    return out.sort_values(["eligible", by, "den"], ascending=[False, not descending, False],
                           na_position="last", kind="mergesort").reset_index(drop=True)


def funnel(df: pd.DataFrame) -> pd.DataFrame:
    """Each agency against its peer group's pooled rate: ``p0``, ``expected`` cases, the 95 % and
    99.8 % limits at its own denominator, and ``outside`` ("high", "low" or "") at 99.8 %.

    Peers are the same level and kind (when those columns are present); agencies with no base
    are left out.
    """
    rows = []
    for key, idx in _peer_groups(df):
        part = df.loc[idx]
        k, n = _counts(part)
        has = n > 0
        if not has.any():
            continue
        part, k, n = part[has], k[has], n[has]
        p0 = stats.pooled_rate(k, n)
        lo95, hi95 = stats.exact_limits(p0, n, stats.LEVELS[0])
        lo998, hi998 = stats.exact_limits(p0, n, stats.LEVELS[1])
        side = np.array([""] * len(part), dtype=object)
        for o in stats.outliers(k, n, stats.LEVELS[1], p0=p0):
            side[o.index] = o.side
        rows.append(part.assign(rate=k / n, p0=p0, expected=n * p0, lo95=lo95, hi95=hi95,
                                lo998=lo998, hi998=hi998, outside=side, n_peers=len(part),
                                peer_group=GROUP_SEPARATOR.join(map(str, key)) if isinstance(key, tuple)
                                else (key or "全部")))
    if not rows:
        return df.iloc[0:0].assign(rate=[], p0=[], expected=[], lo95=[], hi95=[], lo998=[], hi998=[],
                                   outside=[], n_peers=[], peer_group=[])
    return pd.concat(rows).reset_index(drop=True)


def funnel_curves(p0: float, n_max: float, points: int = 120) -> pd.DataFrame:
    """The control limits of one pooled rate drawn over denominators 1 … ``n_max`` (log-spaced)."""
    n = np.unique(np.round(np.geomspace(1, max(n_max, 2), points)))
    lo95, hi95 = stats.exact_limits(p0, n, stats.LEVELS[0])
    lo998, hi998 = stats.exact_limits(p0, n, stats.LEVELS[1])
    return pd.DataFrame({"n": n, "lo95": lo95, "hi95": hi95, "lo998": lo998, "hi998": hi998})


def outlier_wording(metric_key: str, side: str) -> str:
    """What being above or below the limits means for this metric, from its polarity."""
    direction = metric(metric_key).direction
    if side == "high":
        return {1: "显著偏高（较好）", -1: "显著偏高（需关注）"}.get(direction, "显著偏高")
    if side == "low":
        return {1: "显著偏低（需关注）", -1: "显著偏低（较好）"}.get(direction, "显著偏低")
    return ""


def order_label(metric_key: str) -> dict[str, str]:
    """The two orders of a ranking, named by what comes first for this metric's polarity."""
    direction = metric(metric_key).direction
    if direction < 0:
        return {"desc": "从高到低（最需关注在前）", "asc": "从低到高（最好在前）"}
    if direction > 0:
        return {"desc": "从高到低（最好在前）", "asc": "从低到高（最需关注在前）"}
    return {"desc": "从高到低", "asc": "从低到高"}


def peer_group_labels(groups, levels: dict, kinds: dict) -> dict[str, str]:
    """Chinese names of the peer groups ``funnel`` forms ("county · department" → "县级 · 政府部门")."""
    out = {}
    for g in groups:
        parts = str(g).split(GROUP_SEPARATOR)
        if len(parts) == 2:
            out[g] = GROUP_SEPARATOR.join([levels.get(parts[0], "层级不明" if parts[0] == "—" else parts[0]),
                                          kinds.get(parts[1], "类型不明" if parts[1] == "—" else parts[1])])
        else:
            out[g] = str(g)
    return out


QUADRANTS = ("右上：两项均高", "右下：不予公开率高", "左上：复议纠错率高", "左下：两项均低")


def quadrant(x: pd.Series, y: pd.Series, x_line: float | None, y_line: float | None) -> list[str]:
    """The quadrant of each agency around two reference lines (at or above a line counts as high)."""
    out = []
    for a, b in zip(x, y):
        high_x = x_line is not None and a >= x_line
        high_y = y_line is not None and b >= y_line
        out.append(QUADRANTS[0] if high_x and high_y else QUADRANTS[1] if high_x else
                   QUADRANTS[2] if high_y else QUADRANTS[3])
    return out
