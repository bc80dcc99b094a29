"""数据质量: coverage of agencies by year, findings with their review steps and history, the report
quality score with its ranking, the evaluation report download, refused files."""

import pandas as pd
import streamlit as st

from analytics.dashboard import charts, db, evaluation_view, quality_view, ui, writes
from analytics.dashboard.labels import SEVERITIES, findings_frame, rule_name
from analytics.warehouse.review import STATUS_ZH, allowed_next, history

# The buttons of each step; confirm and dismiss keep the keys they always had.
STEP_LABELS = {"confirmed": "确认（确为问题）", "dismissed": "驳回（不是问题）", "notified": "标记为已通知",
               "rectified": "标记为已整改", "verified": "复核通过", "returned": "退回（整改不到位）"}
STEP_KEYS = {"confirmed": "q_confirm", "dismissed": "q_dismiss"}

f = ui.header("数据质量", "报告覆盖情况、一致性检查发现与被拒收的文件")
params = f.params()

st.subheader("报告覆盖（机构 × 年份）")
per_year = ui.query("coverage_by_year", **params)
if per_year.empty:
    st.caption("所选范围内没有报告。")
else:
    per_year["share"] = per_year["n_agencies"] / per_year["n_known"].where(per_year["n_known"] != 0)
    ui.table(per_year, "coverage_by_year", {"year": "年份", "n_agencies": "有报告的机构数",
                                            "n_known": "出现过的机构数", "share": "覆盖比例"},
             percent=("share",))
cov_q = st.text_input("在覆盖表中查找机构", key="q_cov", placeholder="输入机构名称的一部分")
grid = ui.query("coverage", **params, limit=60, q=cov_q)
if grid.empty:
    st.caption("没有名称包含该文字的机构。" if cov_q.strip() else "所选范围内没有机构。")
else:
    grid["status"] = 1 + (grid["n_findings_error"].fillna(0) > 0).astype(int)
    order = list(dict.fromkeys(grid["name"]))
    st.plotly_chart(charts.coverage_grid(grid, range(f.year_from, f.year_to + 1), order=order,
                                         title="各机构各年度的报告（需关注的排在前面）"), key="coverage")
    st.caption("排序：缺少报告的年数最多的在前，其次是错误级发现最多的，再按名称。"
               "绿色：有报告；橙色：有报告且存在错误级发现；灰色：缺少该年报告（最多显示 60 个机构）。")
    attention = grid.drop_duplicates("agency_id")[["agency_id", "name", "n_missing", "n_errors"]]
    attention = attention[(attention["n_missing"] > 0) | (attention["n_errors"] > 0)]
    if not attention.empty:
        with st.expander(f"需要关注的机构（{len(attention)} 个）"):
            ui.table(attention, "coverage_attention", {"name": "机构", "n_missing": "缺少报告的年数",
                                                        "n_errors": "错误级发现条数"}, links={"name": "agency_id"})

st.subheader("一致性检查发现")
summary = ui.query("findings_summary", **params)
if summary.empty:
    st.caption("所选范围内没有检查发现。")
else:
    by_rule = summary.groupby("rule", as_index=False)["n"].sum().sort_values("n", ascending=False)
    st.plotly_chart(charts.bars(findings_frame(by_rule), "rule_name", "n", title="各规则的检查发现条数",
                                category_title="规则", value_title="发现条数（条）"), key="findings_by_rule")
    ui.table(findings_frame(summary), "findings_summary", {"rule_name": "规则", "rule": "代码", "severity": "级别",
                                                          "n": "条数", "n_open": "待确认"})

STATUSES = {"all": "全部", **STATUS_ZH}


def _review_step(write, said) -> None:
    """Run a review step; its result is said after the page reloads with it, a refusal (a
    forbidden step, a full disk, a read-only folder, another writer) is one error line."""
    from analytics.dashboard.safe_text import md
    from analytics.errors import ReportError

    try:
        result = write()
    except ReportError as exc:
        st.error(md(exc.message))
        return
    message = said(result)
    st.toast(message, icon="✅")
    st.session_state["q_done"] = message
    st.cache_data.clear()
    st.rerun()
c1, c2, c3 = st.columns(3)
rules = c1.multiselect("规则", sorted(summary["rule"].unique()) if not summary.empty else [], key="q_rules",
                       format_func=lambda code: f"{rule_name(code)}（{code}）")
severities = c2.multiselect("级别", list(SEVERITIES), format_func=SEVERITIES.get, key="q_sev")
status = c3.selectbox("处理状态", list(STATUSES), format_func=STATUSES.get, key="q_status")
found = ui.query("findings_list", **params, rules=rules, severities=severities, status=status, limit=500)
done = st.session_state.pop("q_done", None)
if done:  # the step of the previous run, said after the page reloaded with its result
    st.success(done)
if found.empty:
    st.caption("没有符合条件的发现。")
else:
    shown = findings_frame(found).assign(
        verify=[ui.finding_url(r, fp) for r, fp in zip(found["report_id"], found["fingerprint"])])
    ui.long_table(shown, "findings", {"name": "机构", "year": "年份", "verify": "核验", "rule_name": "规则",
                                      "rule": "代码", "severity": "级别", "message": "说明", "expected": "应为",
                                      "actual": "实为", "status": "状态", "note": "备注", "fingerprint": "指纹"},
                  rows_key="q_found_rows", unit="条", top="前", links={"name": "agency_id"}, urls={"verify": "核验"})

    st.markdown("**处理一条发现**（决定在重新导入和重新检查后仍然保留，每一步都记入处理记录）")
    labels = {fp: f"{n} {y} · {rule_name(r)} · {m[:40]}" for fp, n, y, r, m in
              found[["fingerprint", "name", "year", "rule", "message"]].itertuples(index=False)}
    fp = st.selectbox("发现", list(labels), format_func=labels.get, key="q_fp")
    now = found.loc[found["fingerprint"] == fp, "status"].iloc[0]
    nexts = allowed_next(now)
    actor = writes.actor()
    st.caption(f"当前状态：{STATUS_ZH.get(now, now)} · 操作人：{actor}")
    note = st.text_input("备注", max_chars=500, key="q_note")
    chosen = None
    if not writes.allowed("decide"):
        st.caption("当前账户为“查看”角色：可查看发现和处理记录，不能处理发现。")
    elif nexts:
        for col, target in zip(st.columns(len(nexts)), nexts):
            if col.button(STEP_LABELS[target], key=STEP_KEYS.get(target, f"q_{target}")):
                chosen = target
    else:
        st.caption("该发现已处理完毕，没有可进行的下一步。")
    if chosen:  # the role and region are checked again in writes.decide, whatever the buttons showed
        _review_step(lambda: writes.decide(fp, chosen, note or None),
                     lambda _: f"已将该发现改为“{STATUS_ZH[chosen]}”（操作人：{actor}）")
    if writes.allowed("decide"):
        with st.expander(f"批量处理当前列表中的 {len(found)} 条发现"):
            st.caption("对上面按规则、级别和处理状态筛选出的每一条发现做同一步；当前状态不允许这一步的发现保持不变，"
                       "并在结果中列出条数。每条发现的这一步都记入处理记录。")
            reachable = sorted({t for s_ in found["status"].unique() for t in allowed_next(s_)},
                               key=list(STATUS_ZH).index)
            bulk_to = st.selectbox("改为", reachable, format_func=STATUS_ZH.get, key="q_bulk_to") if reachable else None
            bulk_note = st.text_input("备注（每条记录相同）", max_chars=500, key="q_bulk_note")
            if bulk_to and st.button(f"对列表中的 {len(found)} 条发现执行", key="q_bulk_go"):
                _review_step(lambda: writes.decide_many(list(found["fingerprint"]), bulk_to, bulk_note or None),
                             lambda outcome: f"{outcome.summary_zh()}（操作人：{actor}）")
    steps = history(db.db_path(), fp)
    if steps:
        st.markdown("**处理记录**")
        log = pd.DataFrame(steps, columns=["log_id", "from_status", "to_status", "actor", "note", "at"])
        log["from_status"] = log["from_status"].map(STATUS_ZH).fillna(log["from_status"])
        log["to_status"] = log["to_status"].map(STATUS_ZH).fillna(log["to_status"])
        ui.table(log, "finding_history", {"at": "时间", "from_status": "原状态", "to_status": "新状态",
                                          "actor": "操作人", "note": "备注"})
    else:
        st.caption("该发现尚无处理记录。")

quality_view.show(params)
evaluation_view.show(f)

st.subheader("被拒收的文件")
refused = ui.query("ingest_refused", limit=200)
if refused.empty:
    st.caption("没有被拒收的文件。")
else:
    ui.table(refused, "refused", {"logged_at": "时间", "path": "文件", "reason": "原因", "sha256": "SHA-256"})
