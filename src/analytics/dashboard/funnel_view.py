"""The funnel plot of one rate with its outlier table, as 地区对比 and 复议诉讼 show it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..metrics import metric as metric_of
from . import charts, comparison, page_state, ui
from .filters import KINDS, LEVELS


def show(rows: pd.DataFrame | None, metric: str, *, prefix: str, chart_key: str, table_key: str) -> None:
    """``rows``: the metric_funnel query's per-agency numerators and denominators. The peer group
    drawn is a URL choice (``<prefix>_peer_group``); the outliers of every group are listed."""
    m = metric_of(metric)
    points = comparison.funnel(rows) if rows is not None and not rows.empty else None
    if points is None or points.empty:
        st.caption("所选范围内没有可计算的比率。")
        return
    # The groups with most agencies first: a group of one is its own pooled rate.
    groups = points.groupby("peer_group").size().sort_values(ascending=False, kind="mergesort")
    labels = comparison.peer_group_labels(groups.index, LEVELS, KINDS)
    group = page_state.selectbox(st, "同类组（层级 · 类型）", list(groups.index), key=f"{prefix}_peer_group",
                                 format_func=lambda g: f"{labels[g]}（{groups[g]} 个机构）")
    part = points[points["peer_group"] == group]
    curves = comparison.funnel_curves(float(part["p0"].iloc[0]), float(part["den"].max()))
    inside, outside = part[part["outside"] == ""], part[part["outside"] != ""]
    drawn = pd.concat([charts.spread(inside, "den"), charts.spread(outside, "den")])
    st.plotly_chart(charts.control_funnel(drawn, curves, metric,
                                          title=f"{m.label} 漏斗图：{labels[group]}（{len(part)} 个机构）"),
                    key=chart_key)
    if len(drawn) < len(part):
        st.caption(f"该组机构较多：控制限内与控制限外各至多画出 {charts.MAX_MARKERS:,} 个点（沿分母均匀选取），"
                   "落在控制限外的机构全部列在下表。")
    st.caption(f"每个点是一个机构：横轴为分母（对数刻度），纵轴为{m.label}。实线为 99.8% 控制限、虚线为 95% 控制限，"
               "均以同类组的合并比率为中心、按精确二项分布计算；点落在 99.8% 控制限之外即为离群，"
               "分母越小，控制限越宽，一两件案件的 100% 不会被当作离群。")
    out = points[points["outside"] != ""].copy()
    if out.empty:
        st.caption("所选范围内没有落在 99.8% 控制限之外的机构。")
        return
    out["wording"] = [comparison.outlier_wording(metric, side) for side in out["outside"]]
    out["group_label"] = out["peer_group"].map(comparison.peer_group_labels(out["peer_group"], LEVELS, KINDS))
    out = out.sort_values(["outside", "den"], ascending=[True, False])
    ui.table(out, table_key,
             {"name": "机构", "group_label": "同类组", "num": "观察数（件）", "expected": "期望数（件）",
              "den": "分母（件）", "rate": m.label, "p0": "同类合并比率", "wording": "判断"},
             percent=("rate", "p0"), links={"name": "agency_id"})
