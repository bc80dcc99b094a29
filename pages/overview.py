"""总览: headline figures of the chosen year and region, their trends and the largest agencies."""

import streamlit as st

from analytics.dashboard import charts, ui
from analytics.dashboard.filters import KINDS, LEVELS
from analytics.dashboard.metrics import HEADLINE, METRICS, fmt

f = ui.header("总览", "核心指标、同比变化与趋势")
kpi = ui.query("kpi_by_year", **f.params())
this = kpi[kpi["year"] == f.year_to]
last = kpi[kpi["year"] == f.year_to - 1]

# A rise is good news (green), bad news (red, "inverse") or neither (grey), from the registry.
DELTA_COLOUR = {1: "normal", -1: "inverse", 0: "off"}
CARDS = [("n_reports", "已导入报告数", None), ("applications", "新收申请量", None)] + [
    (k, METRICS[k].label, k) for k in HEADLINE
]


def _value(frame, column):
    return None if frame.empty else frame.iloc[0][column]


def _delta(key, now, before):
    if now is None or before is None or now != now or before != before:
        return None
    if key in METRICS and METRICS[key].percent:
        return f"{(now - before) * 100:+.1f} 个百分点"
    change = now - before
    pct = f"（{change / before:+.1%}）" if before else ""
    return f"{change:+,.0f}{pct}"


st.subheader(f"{f.year_to} 年核心指标（与 {f.year_to - 1} 年相比）")
if this.empty:
    st.warning(f"{f.year_to} 年在所选范围内没有报告。")
n_reports = _value(this, "n_reports")
# Four cards a row: seven in one row cut rates such as 48.2% to "48.…" on a laptop screen.
CARD_ROWS = [CARDS[i:i + 4] for i in range(0, len(CARDS), 4)]
for col, (column, title, metric) in ((c, card) for row in CARD_ROWS for c, card in zip(st.columns(4), row)):
    with col:
        now, before = _value(this, column), _value(last, column)
        shown = fmt(metric, now) if metric else ("—" if now is None else f"{now:,.0f}")
        st.metric(title, shown, _delta(metric or column, now, before),
                  delta_color=DELTA_COLOUR[METRICS[metric].direction if metric else 0], border=True)
        with st.popover("公式与分母"):
            if metric:
                st.markdown(ui.metric_help(metric))
                den = _value(this, metric + "_den")
                st.markdown(f"本年分母：{'—' if den is None else f'{den:,.0f}'} 件")
            elif column == "applications":
                st.markdown(ui.metric_help("applications"))
            else:
                st.markdown("所选地区与年份内已导入的现行报告份数（每个机构每年取最新版本）。")
        if metric and METRICS[metric].is_ratio:
            st.caption(ui.caution_text(_value(this, metric + "_den")))

st.subheader("趋势")
in_range = kpi[kpi["year"].between(f.year_from, f.year_to)].copy()
if len(in_range) < 2:
    st.caption("所选年份只有一年，趋势需要至少两个年份。")
rows = [CARDS[i:i + 4] for i in range(0, len(CARDS), 4)]
for row in rows:
    for col, (column, title, metric) in zip(st.columns(4), row):
        with col:
            st.markdown(f"**{title}**")
            fig = charts.sparkline(in_range, metric or "applications", column=metric or column,
                                   title=f"{f.year_from}–{f.year_to} 年")
            st.plotly_chart(fig, key=f"trend_{column}")

st.subheader(f"{f.year_to} 年新收申请最多的机构")
top = ui.query("top_agencies", **{**f.params(), "year_from": f.year_to}, limit=15)
if top.empty:
    st.caption("没有数据。")
else:
    st.plotly_chart(charts.bars(top, "name", "applications", title=f"{f.year_to} 年新收申请最多的机构",
                                 category_title="机构"), key="top_agencies")
    top = top.assign(level=top["level"].map(LEVELS).fillna(top["level"]),
                     kind=top["kind"].map(KINDS).fillna(top["kind"]))
    ui.table(top, "top_agencies", {"name": "机构", "level": "层级", "kind": "类型", "applications": "新收申请量"})
