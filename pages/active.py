"""主动公开: table 2 figures, each template's fields kept apart."""

import streamlit as st

from analytics import fields
from analytics.dashboard import charts, ui
from analytics.dashboard.labels import active_label

f = ui.header("主动公开", "规章、规范性文件及行政许可、处罚、强制、收费（表二）")
params = f.params()
data = ui.query("active_by_year", **params)
if data.empty:
    st.warning("所选范围内没有报告。")
    st.stop()
st.caption("2019 版模板（多用于 2019–2020 年）与 2021 版模板的表二栏目不同：下面分开列示，不混合相加。")

TEMPLATES = {"2021": "2021 版模板", "2019": "2019 版模板"}
# The unit an amount is printed in (fields.csv); an amount missing here has no fixed unit.
MONEY_UNITS = {"fees_amount": "万元"}
for template, title in TEMPLATES.items():
    part = data[data["template"] == template]
    st.header(title)
    if part.empty:
        st.caption("所选范围内没有使用该模板的报告。")
        continue
    keys = [k for k in fields.keys("active", template)]
    docs = [k for k in keys if k.startswith(("regulations_", "normative_"))]
    decisions = [k for k in ("licensing_decisions", "punishment_decisions", "coercion_decisions") if k in keys]
    money = [k for k in keys if k in fields.MONEY_KEYS]
    others = [k for k in keys if k not in docs and k not in decisions and k not in money]
    cols = {f"ad_{k}": active_label(k) for k in docs}
    c1, c2 = st.columns(2)
    with c1:
        st.subheader("规章与规范性文件")
        st.plotly_chart(charts.stacked_years(part, cols, title=f"规章与规范性文件（{title}）"), key=f"docs_{template}")
    with c2:
        st.subheader("许可、处罚、强制决定")
        st.plotly_chart(charts.stacked_years(part, {f"ad_{k}": active_label(k) for k in decisions},
                                             title=f"许可、处罚、强制决定数量（{title}）"),
                        key=f"decisions_{template}")
    if others:
        st.subheader("事项数量及增减")
        st.plotly_chart(charts.stacked_years(part, {f"ad_{k}": active_label(k) for k in others},
                                             title=f"事项数量及本年增减（{title}）", y_title="数量（项或件）"),
                        key=f"others_{template}")
    if money:
        st.subheader("金额")
        # One chart per amount, each in the unit its report gives: fees are printed in 万元, while
        # the 2019 template's procurement total has no unit of its own (元 in some reports, 万元 in
        # others, and the cell keeps no unit), so it cannot be converted and is summed as written.
        for k in money:
            unit = MONEY_UNITS.get(k)
            shown = active_label(k)
            chart_title = f"{shown}（{unit}）" if unit else f"{shown}（按原表单位相加，单位不一，无法换算）"
            st.plotly_chart(charts.stacked_years(part, {f"ad_{k}": shown}, title=chart_title,
                                                 y_title=f"金额（{unit}）" if unit else "金额（原表单位）",
                                                 tickformat=",.2~f"),
                            key=f"money_{template}_{k}")
        if any(k not in MONEY_UNITS for k in money):
            st.caption("采购总金额的单位以各报告原表为准（有的为元，有的为万元），原表未注明单位，无法统一换算；"
                       "跨机构相加的结果仅供参考。")
    table_cols = {"year": "年份", "n_reports": "报告数", **{f"ad_{k}": active_label(k) for k in keys}}
    ui.table(part, f"active_{template}", table_cols)
