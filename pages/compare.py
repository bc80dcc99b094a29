"""地区对比: every agency of the region side by side, rankings against peers, outliers — one view
at a time, chosen below the title (the choice is in the URL as ``cmp_view``)."""

import streamlit as st

from analytics.dashboard import charts, comparison, funnel_view, page_state, ui
from analytics.dashboard.filters import KINDS, LEVELS
from analytics.dashboard.labels import OUTCOME_GROUPS
from analytics.dashboard.metrics import METRICS
from analytics.dashboard.queries import HEATMAP_METRICS, TABLE_METRICS
from analytics.stats import MIN_DENOMINATOR

# A robust score (distance from the peer median in scaled MADs) beyond which a count is unusual.
ROBUST_THRESHOLD = 3.5

f = ui.header("地区对比", "所选地区内各机构的指标对比（所选年份合计）")
params = f.params()

agencies = ui.query("agency_metrics", **params, limit=2000, metrics=TABLE_METRICS)
if agencies.empty:
    st.warning("所选范围内没有报告。")
    st.stop()
names = dict(zip(agencies["agency_id"], agencies["name"]))


def metric_choice(where) -> str:
    """The metric of the ranking, the distribution and the outliers: one URL choice for all three."""
    return page_state.selectbox(where, "指标", list(METRICS), format_func=lambda k: METRICS[k].label, key="cmp_metric",
                                default="substantive_disclosure_rate")


def formula(metric: str) -> None:
    m = METRICS[metric]
    with st.expander(f"{m.label} 的公式与分母"):
        st.markdown(ui.metric_help(metric))
        if m.is_ratio:
            st.markdown(comparison.METHOD_TEXT)


def rate_columns(metric: str) -> tuple[str, ...]:
    # Peer statistics of a rate are rates too.
    return ("peer_median", "p10", "p25", "p50", "p75", "p90") if METRICS[metric].percent else ()


def table_view() -> None:
    st.subheader("机构指标总表")
    shown = agencies.assign(level=agencies["level"].map(LEVELS).fillna(agencies["level"]),
                            kind=agencies["kind"].map(KINDS).fillna(agencies["kind"]))
    columns = {"name": "机构", "level": "层级", "kind": "类型", "n_reports": "报告数"}
    columns.update({k: METRICS[k].label for k in TABLE_METRICS})
    st.caption(f"共 {len(shown)} 个机构（按新收申请量排序，最多 2000 个）；点击列名排序，CSV 含全部机构。"
               "比率的分母为 0 时显示“—”。")
    ui.long_table(shown, "agency_metrics", columns, rows_key="cmp_rows", unit="个", top="新收申请量最大的",
                  links={"name": "agency_id"})


def ranking_view() -> None:
    st.subheader("指标排名")
    c1, c2, c3, c4 = st.columns([3, 2, 1, 1])
    metric = metric_choice(c1)
    m = METRICS[metric]
    order = page_state.radio(c2, "顺序", ["desc", "asc"], format_func=comparison.order_label(metric).get,
                             horizontal=True, key="cmp_order")
    min_den = page_state.number(c3, "最少分母（件）", 0, 100000, MIN_DENOMINATOR, key="cmp_min_den",
                                help="分母少于此数的机构不参与排名，列在其后并以灰色显示。", disabled=not m.is_ratio)
    limit = page_state.number(c4, "显示前 N 名", 5, 100, 20, key="cmp_limit")
    formula(metric)
    ranked = ui.query("metric_peers", **params, metric=metric, order=order, limit=int(limit),
                      min_den=min_den if m.is_ratio else 0)
    if ranked.empty:
        st.caption("该指标在所选范围内没有可计算的值（分母均为 0 或未填报）。")
        return
    if m.is_ratio:
        ranked = comparison.with_intervals(ranked)
        ranked["reason"] = ["" if ok else f"分母不足 {min_den} 件，未参与排名" for ok in ranked["eligible"]]
        funnel_rows = ui.query("metric_funnel", **params, metric=metric)
        if not funnel_rows.empty:
            shrunk = comparison.with_shrinkage(funnel_rows)[["agency_id", "shrunk"]]
            ranked = ranked.merge(shrunk, on="agency_id", how="left")
    st.plotly_chart(charts.ranking(ranked, metric, median_col="peer_median",
                                   title=f"{m.label}：{comparison.order_label(metric)[order]}"), key="ranking")
    st.caption("黑色菱形为该机构同类（相同层级与类型）的中位数。"
               + (f"横线为 95% Wilson 区间；灰色条为分母不足 {min_den} 件、未参与排名的机构。" if m.is_ratio else ""))
    columns = {"name": "机构", "value": m.label, "den": "分母", "peer_median": "同类中位数",
               "peer_percentile": "同类百分位", "n_peers": "同类机构数"}
    percent = rate_columns(metric) + ("peer_percentile",)
    if m.is_ratio:
        columns = {"name": "机构", "value": m.label, "lo": "95% 区间下限", "hi": "95% 区间上限", "den": "分母",
                   "shrunk": "收缩估计", "peer_median": "同类中位数", "peer_percentile": "同类百分位",
                   "n_peers": "同类机构数", "reason": "说明"}
        percent += ("lo", "hi", "shrunk")
    ranked = ranked.rename(columns={"value": metric})
    ui.table(ranked, "ranking", {metric if k == "value" else k: v for k, v in columns.items()
                                 if (metric if k == "value" else k) in ranked}, percent=percent, links={"name": "agency_id"})


def distribution_view() -> None:
    st.subheader("同类分布")
    c0, c1, c2 = st.columns([2, 1, 3])
    metric = metric_choice(c0)
    group = page_state.radio(c1, "分组", ["level", "kind"], format_func={"level": "按层级", "kind": "按类型"}.get,
                             key="cmp_group")
    chosen = page_state.multiselect(c2, "突出显示的机构", list(names), format_func=names.get, max_selections=8,
                                    key="cmp_highlight")
    formula(metric)
    quant = ui.query("metric_quantiles", **params, metric=metric, group=group)
    if quant.empty:
        st.caption("没有可显示的分布。")
        return
    points = ui.query("metric_peers", **params, metric=metric, order="desc", limit=50, agencies=chosen) if chosen else None
    if points is not None:
        points = points.assign(grp=points[group].fillna("未知"))
    labels = LEVELS if group == "level" else KINDS
    st.plotly_chart(charts.distribution(quant, metric, points, group_labels=labels,
                                        title=f"{METRICS[metric].label}的同类分布",
                                        x_title="层级" if group == "level" else "类型"), key="distribution")
    st.caption("箱体为 P25–P75，中线为中位数，须线为 P10–P90（在数据库中计算）。")
    ui.table(quant.assign(grp=quant["grp"].map(labels).fillna(quant["grp"])), "distribution",
             {"grp": "分组", "n_agencies": "机构数", "p10": "P10", "p25": "P25", "p50": "中位数", "p75": "P75",
              "p90": "P90"}, percent=rate_columns(metric))


def outliers_view() -> None:
    st.subheader("离群机构")
    metric = metric_choice(st.columns([3, 4])[0])
    m = METRICS[metric]
    formula(metric)
    if m.is_ratio:
        funnel_view.show(ui.query("metric_funnel", **params, metric=metric), metric, prefix="cmp",
                         chart_key="funnel", table_key="outliers")
        return
    out = ui.query("metric_peers", **params, metric=metric, order="outlier", limit=50)
    if not out.empty:
        out = out[out["robust_score"].abs() >= ROBUST_THRESHOLD]
    st.caption(f"{m.label}：与同类中位数相差 {ROBUST_THRESHOLD} 个以上（经 1.4826 调整的）中位数绝对偏差（MAD）的机构"
               "（计数指标没有分母，不适用漏斗图）。")
    if out.empty:
        st.caption("没有离群机构。")
    else:
        ui.table(out.rename(columns={"value": metric}), "outliers",
                 {"name": "机构", metric: m.label, "peer_median": "同类中位数",
                  "robust_score": "稳健离群分数", "n_peers": "同类机构数"}, links={"name": "agency_id"})


def heatmap_view() -> None:
    st.subheader("指标热力图（百分位）")
    heat = ui.query("metric_heatmap", **params, limit=25)
    if heat.empty:
        st.caption("没有数据。")
        return
    st.plotly_chart(charts.percentile_heatmap(heat, HEATMAP_METRICS, title="新收申请量最大的 25 个机构各指标的百分位"),
                    key="heatmap")
    st.caption("新收申请量最大的 25 个机构；格中为各指标在所选地区全部机构中的百分位。绿色为该指标较好的一端、"
               "红色为较差的一端（如不予公开率越高越红），蓝色为没有好坏方向的中性指标；空白为无法计算。")


def side_view() -> None:
    st.subheader("机构并列对比（2–5 个）")
    default = list(names)[:2] if len(names) >= 2 else list(names)
    pick = page_state.multiselect(st, "选择机构", list(names), default=default, format_func=names.get,
                                  max_selections=5, key="cmp_side")
    if len(pick) < 2:
        st.caption("请至少选择 2 个机构。")
        return
    side = ui.query("agency_outcomes", **params, agencies=pick)
    outcome_cols = {"a_new_received": "新收申请", **OUTCOME_GROUPS, "rv_total": "行政复议",
                    "ld_total": "直接起诉", "la_total": "复议后起诉"}
    st.plotly_chart(charts.side_by_side(side, outcome_cols, title="所选机构的申请、办理结果与复议诉讼",
                                        x_title="项目"), key="side_by_side")
    ui.table(side, "side_by_side", {"name": "机构", "n_reports": "报告数", **outcome_cols}, links={"name": "agency_id"})


# One view at a time, and only the chosen one is built: with all six on the page (five charts,
# five tables, one of 2,000 rows) a switch to it took over a second.
VIEWS = {"table": ("机构指标总表", table_view), "ranking": ("指标排名", ranking_view),
         "distribution": ("同类分布", distribution_view), "outliers": ("离群机构", outliers_view),
         "heatmap": ("指标热力图", heatmap_view), "side": ("机构并列对比", side_view)}
view = page_state.segmented(st, "查看", list(VIEWS), key="cmp_view", format_func=lambda v: VIEWS[v][0],
                            label_visibility="collapsed")
VIEWS[view][1]()
