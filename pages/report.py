"""报告详情: one report's tables in the official layout, where each cell came from, its findings,
its prose, and the same agency's previous year beside it."""

import json

import streamlit as st

from analytics import fields

from analytics.dashboard import report_tables as rt
from analytics.dashboard import ui, verify, writes
from analytics.dashboard.filters import KINDS, LEVELS
from analytics.dashboard.labels import SEVERITIES, findings_frame, rule_name, warning_frame
from analytics.dashboard.safe_text import md
from analytics.errors import ReportError
from analytics.warehouse.corrections import TABLE_ZH

f = ui.header("报告详情", "单份报告的三张表格、单元格来源、检查发现与正文")
params = f.params()
# What a report covers (report_record.scope), as the reader says it.
SCOPES = {"jurisdiction": "全辖区", "office": "政府办公厅（室）本级", "agency": "本机关"}

search = st.text_input("按机构名称查找", key="rp_q", placeholder="输入机构名称的一部分")
found = ui.query("report_search", **params, q=search, limit=300)
if found.empty:
    st.warning("没有符合条件的报告。")
    st.stop()
labels = {f"{n} · {y} 年（{t or '?'} 版模板）": int(r) for r, n, y, t in
          found[["report_id", "name", "year", "template"]].itertuples(index=False)}
wanted = st.query_params.get("report")
if not search and wanted and wanted.isdigit() and int(wanted) not in labels.values():
    # A link (机构画像, a finding list) may name a report beyond the list's first rows: put it first.
    linked = ui.query("report_header", report_id=int(wanted))
    if not linked.empty:
        h = linked.iloc[0]
        labels = {f"{h['name']} · {int(h['year'])} 年（{h['template'] or '?'} 版模板）": int(wanted), **labels}
by_id = {v: k for k, v in labels.items()}
options = list(labels)
start = options.index(by_id[int(wanted)]) if wanted and wanted.isdigit() and int(wanted) in by_id else 0
report_id = labels[st.selectbox("报告", options, index=start, key="rp_id")]
st.query_params["report"] = str(report_id)

head = ui.query("report_header", report_id=report_id).iloc[0]
prev = ui.query("report_previous", agency_id=head["agency_id"], year=int(head["year"]))
prev_id = int(prev.iloc[0]["report_id"]) if not prev.empty else None

if head["dataset"] == "demo":
    st.info("这是一份演示报告：机构为虚构，数字不代表任何真实机关。")
st.subheader(md(head["name"]))
c2, c3, c4 = st.columns(3)
c2.metric("年度", int(head["year"]))
c3.metric("模板", f"{head['template'] or '未知'} 版")
c4.metric("发布日期", ui.date_zh(head["published"]))
with st.expander("来源与导入信息"):
    st.markdown(
        f"- 文件：{md(head['source_path'])}（{md(head['source_format'])}）\n"
        f"- SHA-256：`{head['source_sha256']}`\n"
        f"- 解析器版本：{head['parser_version']}；读取单元格 {head['n_cells']} 个；解析警告 {head['n_warnings']} 条\n"
        f"- 范围：{md(SCOPES.get(head['scope'], head['scope']) or '未注明')}；层级/类型：{md(LEVELS.get(head['level'], head['level']) or '未注明')} / "
        f"{md(KINDS.get(head['kind'], head['kind']) or '未注明')}")
    warnings = json.loads(head["warnings"]) if isinstance(head["warnings"], str) else []
    if warnings:
        ui.table(warning_frame(warnings), "parse_warnings")

cells = ui.query("report_cells", report_id=report_id)
prev_cells = ui.query("report_cells", report_id=prev_id) if prev_id else None
findings = ui.query("report_findings", report_id=report_id, agency_id=head["agency_id"], year=int(head["year"]))
TABLES = [("表二 主动公开政府信息情况", rt.active_table), ("表三 收到和处理政府信息公开申请情况", rt.applications_table),
          ("表四 政府信息公开行政复议、行政诉讼情况", rt.review_table)]

# 核验: one finding beside the cells its rule added up (chosen here or arriving from a finding list).
st.subheader("核验检查发现")
if findings.empty:
    st.caption("该报告没有检查发现。")
else:
    options = list(findings["fingerprint"])
    wanted_fp = st.query_params.get("finding")
    chosen_fp = st.selectbox(
        "发现", options, index=options.index(wanted_fp) if wanted_fp in options else 0, key="rp_finding",
        format_func=lambda fp: (lambda r: f"{rule_name(r['rule'])} · {r['message'][:50]}")(
            findings.loc[findings["fingerprint"] == fp].iloc[0]))
    st.query_params["finding"] = chosen_fp
    f_row = findings.loc[findings["fingerprint"] == chosen_fp].iloc[0]
    st.markdown(f"**{md(rule_name(f_row['rule']))}**（{md(f_row['rule'])}，{md(SEVERITIES.get(f_row['severity'], f_row['severity']))}）："
                f"{md(f_row['message'])}")
    t = verify.terms(f_row["rule"], f_row["subject"], cells)
    if t is None:
        st.caption("该规则比较的是多份报告或正文（见上面的说明），没有可在本表中标出的单元格。")
    else:
        st.markdown("  \n".join(md(line) for line in verify.arithmetic(t, cells)))
        st.caption("黄色：规则相加的单元格；红色：与之比较的单元格。空白或未填写的单元格按 0 计。")
        for tbl in verify.tables_of(t):
            if tbl in (fields.APPLICATIONS, fields.REVIEW_LITIGATION):
                build = rt.applications_table if tbl == fields.APPLICATIONS else rt.review_table
                frame = build(cells)
                # Every row in view: the compared cells sit at the bottom of table 3.
                st.dataframe(verify.highlight(frame, tbl, t), hide_index=True, width="stretch",
                             height=35 * (len(frame) + 1) + 3, key=f"rp_verify_{tbl}")
        ui.table(verify.used_cells(t, cells), "verify_cells",
                 {"side": "角色", "cell": "单元格", "raw": "原文", "value": "读数", "where": "来源位置"})

# Full width, one year at a time or stacked: two half-width tables hide the figures at 1280 px.
years_shown = st.radio("显示", ["本年报告", "本年与上一年（上下对照）"], horizontal=True, key="rp_years",
                       disabled=prev_cells is None)
for i, (title, build) in enumerate(TABLES):
    st.subheader(title)
    st.caption(f"{int(head['year'])} 年（本报告）")
    ui.table(build(cells), f"t{i}_this")
    if prev_cells is None:
        st.caption("未导入该机构上一年的报告。")
    elif years_shown != "本年报告":
        st.caption(f"{int(head['year']) - 1} 年（上一年报告）")
        ui.table(build(prev_cells), f"t{i}_prev")

with st.expander("每个单元格的原文与来源位置"):
    ui.table(rt.cell_sources(cells), "cell_sources")

st.subheader("单元格更正")
done = st.session_state.pop("rp_fix_done", None)
if done:
    st.success(md(done))
fixes = ui.query("report_corrections", report_id=report_id)
if fixes.empty:
    st.caption("该报告没有人工更正的单元格：指标、检查和导出用的都是解析值。")
else:
    fixes = fixes.assign(tbl=fixes["tbl"].map(TABLE_ZH).fillna(fixes["tbl"]))
    waiting = int((fixes["state"] == "待应用").sum())
    st.caption(f"该报告有 {len(fixes)} 条人工更正：指标、检查和导出用更正后的值（导出中标为 corrected），解析值保留。"
               + (f"其中 {waiting} 条已记录、尚待下一次写入数据仓库时重新计算指标和检查（表格中已显示更正值）。"
                  if waiting else ""))
    ui.table(fixes, "report_corrections", {"tbl": "表格", "row_key": "行", "col_key": "列", "parsed_value": "解析值",
                                           "previous_value": "更正前", "value": "更正值", "reason": "原因",
                                           "actor": "操作人", "at": "时间", "state": "状态"})
if not writes.allowed("correct"):
    st.caption("当前账户只能查看：更正单元格需要审核或管理角色。")
else:
    with st.form("rp_fix"):
        numeric = cells[cells["tbl"].isin(list(TABLE_ZH))]
        keys = [f"{t}|{r}|{c}" for t, r, c in numeric[["tbl", "row_key", "col_key"]].itertuples(index=False)]
        shown = {k: f"{TABLE_ZH[k.split('|')[0]]} {k.split('|')[1]}:{k.split('|')[2]}" for k in keys}
        chosen = st.selectbox("单元格", keys, format_func=shown.get, key="rp_fix_cell")
        value = st.number_input("正确的数值", value=0.0, step=1.0, key="rp_fix_value")
        reason = st.text_input("更正原因（必填）", max_chars=500, key="rp_fix_reason")
        saved = st.form_submit_button("保存更正", key="rp_fix_save")
    if saved and chosen:
        tbl, row, col = chosen.split("|")
        key = row if tbl == "active_disclosure" else f"{row}:{col}"
        try:
            queued = writes.correct_cell(report_id, tbl, key, value, reason)
        except ReportError as exc:  # no reason given, not allowed, a full disk
            st.error(md(exc.message))
        else:
            message = queued.summary_zh()
            try:
                with st.spinner("更正已记录，所有人可见；正在重新计算该机构的指标和检查…"):
                    fixed = [c for c in writes.apply_corrections() if c.queue_id == queued.queue_id]
            except ReportError as exc:  # another writer held on too long, a full disk: it stays queued
                message += f"。本次未能重新计算：{exc.message}"
            else:
                message = fixed[0].summary_zh() if fixed else message
            st.session_state["rp_fix_done"] = f"{message}（操作人：{writes.actor()}）"
            st.cache_data.clear()
            st.rerun()

st.subheader("检查发现")
if findings.empty:
    st.caption("没有检查发现。")
else:
    ui.table(findings_frame(findings), "report_findings", {"rule_name": "规则", "rule": "代码", "severity": "级别",
                                                           "message": "说明",
                                           "expected": "应为", "actual": "实为", "status": "状态"})

st.subheader("正文")
sections = json.loads(head["sections"]) if isinstance(head["sections"], str) else None
NAMES = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other_matters": "六、其他需要报告的事项"}
if not sections:
    st.caption("该报告没有保存正文。")
else:
    for key, name in NAMES.items():
        with st.expander(name, expanded=key == "overview"):
            st.text(sections.get(key) or "（无）")
