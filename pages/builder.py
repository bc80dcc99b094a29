"""自定义报表: chosen agencies (or the sidebar's region, levels and kinds), the sidebar's years, any
fields of tables 2–4 and any metrics, one row per report with subtotals and a grand total, as
CSV and as XLSX with a data dictionary."""

import datetime

import streamlit as st

from analytics.dashboard import builder, page_state, ui
from analytics.dashboard.filters import DATASETS, KINDS, LEVELS
from analytics.dashboard.metrics import METRICS

f = ui.header("自定义报表", "选择机构、表格字段与指标，生成带小计与合计的报表并下载")
params = f.params()

LIMIT = 20000
agencies = ui.query("profile_agencies", **params, agency_id="", limit=3000)
names = dict(zip(agencies["agency_id"], agencies["name"]))
chosen = page_state.multiselect(st, "机构（不选则为侧栏所选地区、层级与类型的全部机构）", list(names), key="rb_agencies",
                                format_func=names.get)

by_table = {t: [k for k, fl in builder.FIELDS.items() if fl.table == t] for t in ("表二", "表三", "表四")}
picked_fields = []
# One picker a table, each the page's width: the official labels are long.
for (table, keys), default, key in zip(
        by_table.items(), ([], ["a_new_received", "a_total_processed", "a_granted"], ["rv_total", "rv_corrected"]),
        ("rb_t2", "rb_t3", "rb_t4")):
    picked_fields += page_state.multiselect(st, f"{table}字段", keys, key=key, default=default,
                                            format_func=lambda k: builder.FIELDS[k].label)
c5, c6 = st.columns([3, 1])
metrics = page_state.multiselect(c5, "指标（比率按分子之和 ÷ 分母之和计算小计与合计）", list(METRICS), key="rb_metrics",
                                 default=["substantive_disclosure_rate"],
                                 format_func=lambda k: f"{METRICS[k].label}（{METRICS[k].unit}）")
by = page_state.radio(c6, "小计", list(builder.SUBTOTALS), format_func=builder.SUBTOTALS.get, key="rb_sub",
                      default="year")
st.caption("年份取侧栏所选范围。标注“仅 2019 版模板”或“仅 2021 版模板”的字段只在该版模板的报告中有数，"
           "另一版报告中为空白（不是 0）；每行的“模板”列注明该报告所用模板。")

if not picked_fields and not metrics:
    st.info("请至少选择一个字段或指标。")
    st.stop()
rows = ui.query("builder_rows", **params, fields=picked_fields, metrics=metrics, agencies=chosen, limit=LIMIT)
if rows.empty:
    st.warning("所选范围内没有报告。")
    st.stop()
if len(rows) >= LIMIT:
    st.warning(f"报告超过 {LIMIT} 份，只列出前 {LIMIT} 份，合计只含这些报告；请缩小地区或年份范围。")

full = builder.table(rows, picked_fields, metrics, by=by)
shown = builder.shown(full, picked_fields, metrics)
if chosen:
    place = names[chosen[0]] if len(chosen) == 1 else f"{len(chosen)}个机构"
else:
    place = "".join(p for p in (f.province, f.city, f.county) if p) or "全部地区"
stem = builder.file_stem(place, f.year_from, f.year_to, metrics, picked_fields)
n_detail = int((full["row_kind"] == builder.ROW_KINDS["detail"]).sum())
st.subheader(f"{place}，{f.years_label()}：{n_detail} 份报告，{rows['agency_id'].nunique()} 个机构")
st.caption("比率列以百分数（%）显示；小计、合计行的比率由分子之和除以分母之和重新计算，不是各行比率的平均。")
ui.table(shown, "builder", file_name=stem)

about = [("报表", "自定义报表"), ("地区", place), ("年份", f.years_label()),
         ("层级", "、".join(LEVELS.get(v, v) for v in f.levels) or "全部"),
         ("类型", "、".join(KINDS.get(v, v) for v in f.kinds) or "全部"),
         ("数据集", "、".join(DATASETS.get(d, d) for d in f.datasets)),
         ("小计方式", builder.SUBTOTALS[by]), ("报告份数", str(n_detail)),
         ("生成时间", datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))]
st.download_button("下载 Excel（含数据字典）", builder.xlsx_bytes(shown, builder.dictionary(picked_fields, metrics), about),
                   file_name=f"{stem}.xlsx", key="dl_builder_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
with st.expander("数据字典"):
    ui.table(builder.dictionary(picked_fields, metrics), "builder_dictionary", file_name=f"{stem}_数据字典")
