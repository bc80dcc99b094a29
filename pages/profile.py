"""机构画像: one agency over all its years — figures per year, each headline metric against its
peers' median and P25–P75 band, its percentile among them, its findings and links to each report."""

import pandas as pd
import streamlit as st

from analytics.dashboard import charts, navigation, page_state, ui
from analytics.dashboard import report_tables as rt
from analytics.dashboard.filters import KINDS, LEVELS
from analytics.dashboard.labels import findings_frame
from analytics.dashboard.metrics import HEADLINE, METRICS
from analytics.dashboard.safe_text import md
from analytics.stats import MIN_DENOMINATOR

# Applications first: the scale of the agency frames every rate after it.
PROFILE_METRICS = ["applications", *HEADLINE]

f = ui.header("机构画像", "单个机构历年的报告、指标与同类比较（不受侧栏年份限制）")
params = f.params()
datasets = f.datasets

wanted = st.query_params.get("pf_agency", "")
agencies = ui.query("profile_agencies", **params, agency_id=wanted, limit=3000)
if agencies.empty:
    st.warning("所选范围内没有机构。")
    st.stop()
names = dict(zip(agencies["agency_id"], agencies["name"]))
c1, c2 = st.columns([3, 2])
agency_id = page_state.selectbox(c1, "机构（侧栏的地区、层级与类型筛选可选的机构）", list(names), key="pf_agency",
                                 format_func=names.get, default=list(names)[0])
# Written even when it is the default: a profile's URL always names its agency.
st.query_params["pf_agency"] = agency_id
me = agencies[agencies["agency_id"] == agency_id].iloc[0]
place = "".join(p for p in (me["province"], me["city"], me["county"]) if isinstance(p, str)) or "地区未注明"
BASES = {"city": f"所在地市（{me['city']}）" if isinstance(me["city"], str) else "所在地市（未注明）",
         "province": f"所在省份（{me['province']}）" if isinstance(me["province"], str) else "所在省份（未注明）",
         "all": "全部数据"}
base = page_state.radio(c2, "同类比较范围", list(BASES), format_func=BASES.get, key="pf_base", default="province",
                        horizontal=True, help="同类机构：层级与类型相同的机构，在所选范围内逐年比较。")

years = ui.query("profile_years", agency_id=agency_id, datasets=datasets)
level = LEVELS.get(me["level"], me["level"]) or "层级未知"
kind = KINDS.get(me["kind"], me["kind"]) or "类型未知"
st.subheader(md(me["name"]))
st.caption(f"{md(place)} · {level} · {kind}　|　同类：{level}{kind}，{BASES[base]}")
if years.empty:
    st.info("该机构在所选数据集中没有报告。")
    st.stop()
k1, k2, k3, k4 = st.columns(4)
k1.metric("报告份数", len(years))
k2.metric("年度", f"{int(years['year'].min())}–{int(years['year'].max())}")
k3.metric("错误级发现", int(years["n_findings_error"].sum()))
k4.metric("警告级发现", int(years["n_findings_warning"].sum()))

st.subheader("历年主要数字")
years = years.assign(link=[ui.report_url(r) for r in years["report_id"]])
ui.table(years, "profile_years",
         {"year": "年度", "link": ui.REPORT_LINK, "template": "模板", "published": "发布日期", "a_new_received": "新收申请（件）",
          "a_carried_over": "上年结转（件）", "a_total_processed": "办理结果合计（件）", "a_granted": "予以公开（件）",
          "a_partially_granted": "部分公开（件）", "denied": "不予公开（件）", "unable": "无法提供（件）",
          "refused": "不予处理（件）", "other_handled": "其他处理（件）", "a_carried_forward": "结转下年（件）",
          "rv_total": "行政复议（件）", "ld_total": "直接起诉（件）", "la_total": "复议后起诉（件）",
          "n_findings_error": "错误级发现（条）", "n_findings_warning": "警告级发现（条）"},
         file_name=f"机构画像_{me['agency_id']}_历年数字", urls={"link": "打开报告"})

st.subheader("指标与同类比较")
st.caption(f"蓝线为本机构，灰色虚线为同类中位数，阴影为同类 P25–P75（同类：{level}{kind}，{BASES[base]}，逐年计算）。"
           f"分母少于 {MIN_DENOMINATOR} 件的比率照常显示，但不计算百分位。")
peers = {m: ui.query("profile_peers", agency_id=agency_id, metric=m, base=base, min_den=MIN_DENOMINATOR,
                     datasets=datasets) for m in PROFILE_METRICS}
for i in range(0, len(PROFILE_METRICS), 2):
    for col, metric in zip(st.columns(2), PROFILE_METRICS[i:i + 2]):
        with col:
            st.plotly_chart(charts.peer_band(peers[metric], metric, agency="本机构",
                                             title=f"{METRICS[metric].label}：本机构与同类"), key=f"pf_trend_{metric}")

st.subheader("历年在同类中的百分位")
st.caption("百分位 = 同类中数值低于本机构的机构数 ÷（同类机构数 − 1）；100% 为同类最高。"
           "“越高越好”的指标百分位高为好，“越高越差”的（如不予公开率）百分位高需关注。空白：无法计算或分母不足。")
rank = pd.DataFrame({"year": sorted(years["year"].unique())})
for metric in PROFILE_METRICS:
    p = peers[metric].set_index("year")
    rank[metric] = rank["year"].map(p["peer_percentile"])
rank["n_peers"] = rank["year"].map(peers[PROFILE_METRICS[0]].set_index("year")["n_peers"])
ui.table(rank, "profile_rank", {"year": "年度", "n_peers": "同类机构数",
                                **{m: METRICS[m].label + "（百分位）" for m in PROFILE_METRICS}},
         percent=tuple(PROFILE_METRICS), file_name=f"机构画像_{me['agency_id']}_同类百分位")

with st.expander("各指标的本机构数值、分母与同类分位数"):
    for metric in PROFILE_METRICS:
        m = METRICS[metric]
        st.markdown(f"**{m.label}**（{m.unit}）")
        rows = peers[metric].rename(columns={"value": metric})
        percent = ("peer_p25", "peer_median", "peer_p75", "peer_percentile") if m.percent else ("peer_percentile",)
        cols = {"year": "年度", metric: "本机构", "num": "分子", "den": "分母", "peer_p25": "同类 P25",
                "peer_median": "同类中位数", "peer_p75": "同类 P75", "n_peers": "同类机构数", "peer_percentile": "同类百分位"}
        if not m.is_ratio:
            cols = {k: v for k, v in cols.items() if k not in ("num", "den")}
        ui.table(rows, f"profile_peers_{metric}", cols, percent=percent,
                 file_name=f"机构画像_{me['agency_id']}_{m.label}")

st.subheader("检查发现")
findings = ui.query("profile_findings", agency_id=agency_id, datasets=datasets)
if findings.empty:
    st.caption("该机构的报告没有检查发现。")
else:
    shown = findings_frame(findings).assign(
        link=[ui.finding_url(r, fp) for r, fp in zip(findings["report_id"], findings["fingerprint"])])
    ui.table(shown, "profile_findings",
             {"year": "年度", "link": ui.REPORT_LINK, "rule_name": "规则", "rule": "代码", "severity": "级别",
              "message": "说明", "expected": "应为", "actual": "实为", "status": "状态"},
             urls={"link": "核验"}, file_name=f"机构画像_{me['agency_id']}_检查发现")

st.subheader("某一年的三张表格")
by_year = dict(zip(years["year"].astype(int), years["report_id"].astype(int)))
year = page_state.selectbox(st, "年度", sorted(by_year, reverse=True), key="pf_year",
                            format_func=lambda y: f"{y} 年")
st.page_link(navigation.PAGES_DIR / "report.py", label=f"在“报告详情”中打开 {year} 年报告（来源、正文与上一年对照）",
             icon=":material/description:", query_params={"report": str(by_year[year])})
cells = ui.query("report_cells", report_id=by_year[year])
for i, (title, build) in enumerate([("表二 主动公开政府信息情况", rt.active_table),
                                    ("表三 收到和处理政府信息公开申请情况", rt.applications_table),
                                    ("表四 政府信息公开行政复议、行政诉讼情况", rt.review_table)]):
    st.markdown(f"**{title}**")
    ui.table(build(cells), f"pf_t{i}", file_name=f"机构画像_{me['agency_id']}_{year}_表{'二三四'[i]}")
