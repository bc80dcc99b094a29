"""复议诉讼: review and litigation outcomes, correction rates with their case counts, rankings."""

import pandas as pd
import streamlit as st

from analytics.dashboard import charts, comparison, funnel_view, page_state, ui
from analytics.dashboard.labels import REVIEW_COLS, REVIEW_GROUPS
from analytics.dashboard.metrics import METRICS, fmt
from analytics.stats import MIN_DENOMINATOR

f = ui.header("复议诉讼", "行政复议与行政诉讼的结果及纠错率")
params = f.params()

by_year = ui.query("review_by_year", **params)
if by_year.empty:
    st.warning("所选范围内没有报告。")
    st.stop()
tot = by_year.drop(columns=["year"]).sum(numeric_only=True, min_count=1)


def _n(col: str) -> float:
    v = tot.get(col)
    return 0.0 if v is None or v != v else float(v)


def _rate(num: float, den: float):
    return num / den if den else None


rv_decided = _n("rv_total") - _n("rv_pending")
lit_decided = _n("ld_total") - _n("ld_pending") + _n("la_total") - _n("la_pending")
cards = [
    ("review_correction_rate", _rate(_n("rv_corrected"), rv_decided), _n("rv_corrected"), rv_decided, "已审结复议"),
    ("litigation_correction_rate", _rate(_n("ld_corrected") + _n("la_corrected"), lit_decided),
     _n("ld_corrected") + _n("la_corrected"), lit_decided, "已审结诉讼"),
    ("dispute_rate", _rate(_n("rv_total") + _n("ld_total"), _n("applications")),
     _n("rv_total") + _n("ld_total"), _n("applications"), "新收申请"),
]
st.subheader("纠错率（所选年份合计）")
for col, (key, value, num, den, den_name) in zip(st.columns(len(cards)), cards):
    with col:
        st.metric(METRICS[key].label, fmt(key, value), border=True, help=ui.metric_help(key))
        st.caption(f"{num:,.0f} / {den:,.0f}（{den_name}）")
        ui.caution(den)

st.subheader("复议与诉讼结果")
rows = []
for prefix, group in REVIEW_GROUPS.items():
    rows.append({"group": group, **{label: _n(f"{prefix}_{c}") for c, label in REVIEW_COLS.items()}})
results = pd.DataFrame(rows)
parts = {v: v for k, v in REVIEW_COLS.items() if k != "total"}
st.plotly_chart(charts.side_by_side(results.rename(columns={"group": "name"}), parts, title="复议与诉讼结果（所选年份合计）",
                                    x_title="结果"), key="results")
ui.table(results, "results", {"group": "类别", **{v: v for v in REVIEW_COLS.values()}})

st.subheader("从申请到复议、诉讼")
stages = pd.DataFrame({
    "stage": ["新收申请", "行政复议", "未经复议直接起诉", "复议后起诉", "被纠正（复议与诉讼）"],
    "value": [_n("applications"), _n("rv_total"), _n("ld_total"), _n("la_total"),
              _n("rv_corrected") + _n("ld_corrected") + _n("la_corrected")],
})
st.plotly_chart(charts.funnel(stages, title="从申请到复议、诉讼的件数"), key="funnel")
st.caption("各阶段件数来自同一批报告的表四；复议与诉讼可能针对往年的申请，故各阶段并非严格嵌套。")

st.subheader("年度变化")
yearly = by_year.copy()
dec_rv = yearly["rv_total"] - yearly["rv_pending"]
dec_lit = yearly["ld_total"] - yearly["ld_pending"] + yearly["la_total"] - yearly["la_pending"]
yearly["review_correction_rate"] = yearly["rv_corrected"] / dec_rv.where(dec_rv != 0)
yearly["litigation_correction_rate"] = (yearly["ld_corrected"] + yearly["la_corrected"]) / dec_lit.where(dec_lit != 0)
yearly["review_decided"] = dec_rv
yearly["litigation_decided"] = dec_lit
long_rates = yearly.melt(id_vars="year", value_vars=["review_correction_rate", "litigation_correction_rate"],
                         var_name="grp", value_name="value")
long_rates["grp"] = long_rates["grp"].map(lambda k: METRICS[k].label)
st.plotly_chart(charts.trend(long_rates, "review_correction_rate", title="复议与诉讼纠错率的年度变化",
                              y_title="纠错率（%）"), key="yearly_rates")
ui.table(yearly, "yearly", {"year": "年份", "rv_total": "复议总计", "review_decided": "复议已审结",
                            "review_correction_rate": "复议纠错率", "litigation_decided": "诉讼已审结",
                            "litigation_correction_rate": "诉讼纠错率"})

st.subheader("排名")
c1, c2 = st.columns([3, 1])
metric = page_state.selectbox(c1, "指标", ["review_correction_rate", "litigation_correction_rate", "dispute_rate",
                                           "correction_per_100", "pending_share"],
                              format_func=lambda k: METRICS[k].label, key="rv_metric")
m = METRICS[metric]
min_den = page_state.number(c2, "最少分母（件）", 0, 100000, MIN_DENOMINATOR, key="rv_min_den",
                            help="分母（案件数）少于此数的机构不参与排名，列在其后并以灰色显示。")
ranked = ui.query("metric_peers", **params, metric=metric, order="desc", limit=20,
                  min_den=min_den if m.is_ratio else 0)
if ranked.empty:
    st.caption("没有可计算的机构。")
else:
    if m.is_ratio:
        ranked = comparison.with_intervals(ranked)
        ranked["reason"] = ["" if ok else f"分母不足 {min_den} 件，未参与排名" for ok in ranked["eligible"]]
    st.plotly_chart(charts.ranking(ranked, metric, median_col="peer_median",
                                   title=f"{m.label}：{comparison.order_label(metric)['desc']}"),
                    key="review_ranking")
    st.caption("黑色菱形为同类（相同层级与类型）中位数" + ("；横线为 95% Wilson 区间，灰色条为分母不足、未参与排名的机构。"
                                                      if m.is_ratio else "。"))
    columns = {"name": "机构", metric: m.label, "num": "分子", "den": "分母（案件数）", "peer_median": "同类中位数"}
    if m.is_ratio:
        columns |= {"lo": "95% 区间下限", "hi": "95% 区间上限", "reason": "说明"}
    ui.table(ranked.rename(columns={"value": metric}), "review_ranking", columns,
             percent=("peer_median", "lo", "hi") if m.percent else (), links={"name": "agency_id"})

if m.is_ratio:
    st.subheader("漏斗图")
    funnel_view.show(ui.query("metric_funnel", **params, metric=metric), metric, prefix="rv",
                     chart_key="review_funnel", table_key="review_outliers")
