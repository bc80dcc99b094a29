"""办理结果: the outcome hierarchy, refusal reasons, applicant types and their flow to outcomes."""

import pandas as pd
import streamlit as st

from analytics import fields
from analytics.dashboard import charts, page_state, ui
from analytics.dashboard.labels import APPLICANTS, GROUP_OF_ROW, OUTCOME_GROUPS, row_label

# applicant_outcomes names the groups as report_wide does (granted, …, other_handled).
GROUP_NAMES = {k.removeprefix("a_"): v for k, v in OUTCOME_GROUPS.items()}

f = ui.header("办理结果", "依申请公开的办理结果构成（所选年份合计）")
params = f.params()

totals = ui.query("outcome_totals", **params)
row = totals.iloc[0] if not totals.empty else None
if row is None or not row["n_reports"]:
    st.warning("所选范围内没有报告。")
    st.stop()


def _n(column: str) -> float:
    v = row.get(column)
    return 0.0 if v is None or v != v else float(v)


# The hierarchy: every outcome row under its group; a group's size is the sum of its rows.
nodes = []
for key in fields.APPLICATION_ROWS:
    group = GROUP_OF_ROW.get(key)
    if group is None:
        continue
    value = _n(f"a_{key}")
    if value > 0:
        if key in ("granted", "partially_granted"):
            nodes.append({"id": group, "parent": "办理结果", "label": group, "value": value})
        else:
            nodes.append({"id": f"{group}/{key}", "parent": group, "label": row_label(key), "value": value})
tree = pd.DataFrame(nodes, columns=["id", "parent", "label", "value"])
groups = tree[tree["parent"] != "办理结果"].groupby("parent", as_index=False)["value"].sum()
tree = pd.concat([tree, pd.DataFrame({"id": groups["parent"], "parent": "办理结果", "label": groups["parent"],
                                      "value": groups["value"]})], ignore_index=True)
total = tree.loc[tree["parent"] == "办理结果", "value"].sum()
tree = pd.concat([tree, pd.DataFrame([{"id": "办理结果", "parent": "", "label": "办理结果", "value": total}])],
                 ignore_index=True)

st.subheader("办理结果层级")
kind = page_state.radio(st, "图形", ["sunburst", "treemap"], format_func={"sunburst": "旭日图", "treemap": "矩形树图"}.get,
                horizontal=True, key="oc_kind")
if total > 0:
    st.plotly_chart(charts.hierarchy(tree, kind=kind, title="办理结果层级（点击一组可放大）"), key="hierarchy")
else:
    st.caption("办理结果均为 0 或未填报。")
st.caption(f"办理结果合计 {total:,.0f} 件；报告所列“总计”行合计 {_n('a_total_processed'):,.0f} 件（两者不等时见数据质量页）。")

c1, c2 = st.columns(2)
with c1:
    st.subheader("不予公开理由")
    denied = pd.DataFrame({"reason": [row_label(k) for k in fields.DENIED_ROWS],
                           "count": [_n(f"a_{k}") for k in fields.DENIED_ROWS]})
    all_denied = denied["count"].sum()
    denied["share"] = denied["count"] / all_denied if all_denied else None
    st.plotly_chart(charts.bars(denied.sort_values("count", ascending=False), "reason", "count",
                                title="不予公开理由", category_title="理由", value_title="件数（件）"), key="denied")
    ui.table(denied, "denied", {"reason": "理由", "count": "件数", "share": "占不予公开比例"},
             percent=("share",))
    ui.caution(all_denied)
with c2:
    st.subheader("申请人类型")
    applicants = pd.DataFrame({"type": list(APPLICANTS.values()),
                               "count": [_n(f"nr_{c}") for c in APPLICANTS]})
    st.plotly_chart(charts.bars(applicants, "type", "count", title="本年新收申请的申请人类型",
                                category_title="申请人类型", value_title="新收申请（件）"), key="applicants")
    ui.table(applicants, "applicants", {"type": "申请人类型", "count": "本年新收申请"})

st.subheader("申请人类型 → 办理结果")
flows = ui.query("applicant_outcomes", **params)
flows = flows[flows["group"].isin(GROUP_NAMES.keys()) & flows["col_key"].isin(APPLICANTS.keys())]
if flows.empty:
    st.caption("没有按申请人类型填报的办理结果。")
else:
    links = (flows.assign(source=flows["col_key"].map(APPLICANTS),
                          target=flows["group"].map(GROUP_NAMES))
             .groupby(["source", "target"], as_index=False)["value"].sum())
    links = links[links["value"] > 0]
    st.plotly_chart(charts.sankey(links, title="申请人类型 → 办理结果（件）"), key="sankey")
    ui.table(links, "flows", {"source": "申请人类型", "target": "办理结果", "value": "件数"})
