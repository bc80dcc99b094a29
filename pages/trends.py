"""趋势: any metric over the years by level, kind, place or agency; outcome composition."""

import streamlit as st

from analytics.dashboard import charts, page_state, ui
from analytics.dashboard.filters import DATASETS, KINDS, LEVELS
from analytics.dashboard.labels import OUTCOME_GROUPS
from analytics.dashboard.metrics import METRICS, TEMPLATE_SENSITIVE
from analytics.dashboard.queries import GROUP_LABELS

f = ui.header("趋势", "指标的年度变化")
params = f.params()
NAMES = {**LEVELS, **KINDS, **DATASETS}

metric_keys = list(METRICS)
c1, c2 = st.columns(2)
metric = page_state.selectbox(c1, "指标", metric_keys, format_func=lambda k: METRICS[k].label, key="tr_metric",
                              default="substantive_disclosure_rate")
groups = ["all", "level", "kind", "province", "city", "county", "agency", "template"]
group = page_state.selectbox(c2, "分组", groups, format_func=GROUP_LABELS.get, key="tr_group", default="level")
chosen: list[str] = []
if group == "agency":
    top = ui.query("top_agencies", **params, limit=200)
    names = dict(zip(top["agency_id"], top["name"]))
    chosen = page_state.multiselect(st, "机构（默认为新收申请量最大的 5 个）", list(names), default=list(names)[:5],
                                    format_func=names.get, max_selections=12, key="tr_agencies")
with st.expander(f"{METRICS[metric].label} 的公式与分母"):
    st.markdown(ui.metric_help(metric))

trend = ui.query("metric_trend", **params, metric=metric, group=group, max_groups=10, agencies=chosen)
boundary = metric in TEMPLATE_SENSITIVE
if trend.empty:
    st.caption("该指标在所选范围内没有可计算的值。")
else:
    trend["grp"] = trend["grp"].map(lambda g: NAMES.get(g, g))
    st.plotly_chart(charts.trend(trend, metric, boundary=boundary,
                                 title=f"{METRICS[metric].label}的年度变化（{GROUP_LABELS[group]}）"), key="trend")
    if boundary:
        st.caption("虚线为 2020/2021 模板分界：该项在 2019 版与 2021 版模板中口径不同，跨越分界的比较不可比。")
    trend["caution"] = [ui.caution_text(d) if METRICS[metric].is_ratio else "" for d in trend["den"]]
    ui.table(trend.rename(columns={"value": metric}), "trend",
             {"grp": GROUP_LABELS[group], "year": "年份", metric: METRICS[metric].label, "num": "分子",
              "den": "分母", "n_reports": "报告数", "caution": "提示"})

st.subheader("分组小图")
if not trend.empty and trend["grp"].nunique() > 1:
    st.plotly_chart(charts.small_multiples(trend, metric, boundary=boundary,
                                           title=f"{METRICS[metric].label}：各分组的年度变化"),
                    key="small_multiples")
else:
    st.caption("选择一个包含多个分组的维度以显示分组小图。")

st.subheader("办理结果构成")
outcomes = ui.query("outcome_by_year", **params)
if outcomes.empty:
    st.caption("没有数据。")
else:
    st.plotly_chart(charts.composition(outcomes, OUTCOME_GROUPS, title="各年度办理结果构成"), key="composition")
    st.caption("虚线为 2020/2021 模板分界：2021 版将“其他处理”拆为三项，此处合并为一组以便比较。")
    ui.table(outcomes, "composition", {"year": "年份", "n_reports": "报告数", **OUTCOME_GROUPS,
                                       "total_processed": "办理结果总计"})
