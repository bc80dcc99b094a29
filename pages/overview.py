"""总览: headline figures of the chosen year and region, then one view chosen below them: the
quadrant of agencies, the trends of the headline figures, or the largest agencies."""

import streamlit as st

from analytics.dashboard import charts, comparison, page_state, ui
from analytics.dashboard.filters import KINDS, LEVELS
from analytics.dashboard.metrics import HEADLINE, METRICS, fmt
from analytics.dashboard.safe_text import md
from analytics.stats import MIN_DENOMINATOR

f = ui.header("总览", "核心指标、同比变化、象限与趋势")
kpi = ui.query("kpi_by_year", **f.params())
this = kpi[kpi["year"] == f.year_to]
last = kpi[kpi["year"] == f.year_to - 1]

# A rise is good news (green), bad news (red, "inverse") or neither (grey), from the registry.
DELTA_COLOUR = {1: "normal", -1: "inverse", 0: "off"}
QUADRANT = ("denial_rate", "review_correction_rate")
QUADRANT_MIN_REVIEWS = 5  # decided reviews: few agencies see more, so 30 would leave the chart empty
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


FLAG_TEXT = {"red": "🔴 达到红色预警阈值", "yellow": "🟡 达到黄色预警阈值"}

# Year on year over the agencies that reported in both years: a change in who reported is no change.
matched = ui.query("kpi_matched", **f.params())
m_this, m_last = matched[matched["year"] == f.year_to], matched[matched["year"] == f.year_to - 1]
n_matched = int(_value(m_this, "n_reports") or 0)

# Four cards a row: seven in one row cut rates such as 48.2% to "48.…" on a laptop screen.
CARD_ROWS = [CARDS[i:i + 4] for i in range(0, len(CARDS), 4)]


def cards() -> None:
    st.subheader(f"{f.year_to} 年核心指标（与 {f.year_to - 1} 年相比）")
    if this.empty:
        st.warning(f"{f.year_to} 年在所选范围内没有报告。")
    st.caption(f"同比变化只比较两年都有报告的 {n_matched:,} 个机构（同口径）；卡片下方另列全部机构的同比，"
               "以及该年各机构该指标的 P25 / 中位数 / P75。")
    for col, (column, title, metric) in ((c, card) for row in CARD_ROWS for c, card in zip(st.columns(4), row)):
        with col:
            now, before = _value(this, column), _value(last, column)
            shown = fmt(metric, now) if metric else ("—" if now is None else f"{now:,.0f}")
            if column == "n_reports":
                delta, delta_all = _delta(column, now, before), None
            else:
                delta = _delta(metric or column, _value(m_this, metric or column), _value(m_last, metric or column))
                delta_all = _delta(metric or column, now, before)
            st.metric(title, shown, delta, delta_color=DELTA_COLOUR[METRICS[metric].direction if metric else 0],
                      border=True)
            notes = []
            if delta_all is not None:
                notes.append(f"全部机构：{delta_all}")
            if metric:
                m = METRICS[metric]
                den = _value(this, metric + "_den")
                notes.append(f"分母：{'—' if den is None or den != den else f'{den:,.0f}'} 件（{m.base}）")
                q = ui.query("metric_quantiles", **{**f.params(), "year_from": f.year_to}, metric=metric, group="all")
                if not q.empty:
                    r = q.iloc[0]
                    notes.append(f"各机构 P25 {fmt(metric, r['p25'])} · 中位数 {fmt(metric, r['p50'])} · "
                                 f"P75 {fmt(metric, r['p75'])}（{int(r['n_agencies'])} 个机构）")
                flag = m.flag(now)
                if flag:
                    notes.append(f"{FLAG_TEXT[flag]}（{m.flags_text()}）")
                elif m.flags_text():
                    notes.append(f"预警阈值：{m.flags_text()}")
                caution = ui.caution_text(den) if m.is_ratio else ""
                if caution:
                    notes.append(caution)
            st.caption("  \n".join(notes))
            with st.popover("公式与分母"):
                if metric:
                    st.markdown(ui.metric_help(metric))
                elif column == "applications":
                    st.markdown(ui.metric_help("applications"))
                else:
                    st.markdown("所选地区与年份内已导入的现行报告份数（每个机构每年取最新版本）。")


# Below the cards one view at a time, and only the chosen one is built: every Plotly chart and
# table costs the browser time to draw, and with the seven trends and the rankings below the fold
# a new session's first page took 1.7–1.9 times as long as a page with a single chart.
VIEWS = {"quadrant": "象限图", "trends": "趋势", "top": "新收申请最多的机构"}
NAMES_PER_QUADRANT = 5
# Points of the quadrant at most: at a million reports 3,000 agencies qualify, and with 1,000 of
# them drawn the chart was most of what a new session's first page sent (88 KB of 100).
QUADRANT_POINTS = 500


def quadrant_view() -> None:
    st.subheader(f"{f.year_to} 年象限图：不予公开率 × 复议纠错率")
    quad = ui.query("agency_metrics", **{**f.params(), "year_from": f.year_to}, limit=5000,
                    metrics=list(QUADRANT))
    x_key, y_key = QUADRANT
    quad = quad[(quad[x_key + "_den"] >= MIN_DENOMINATOR) & (quad[y_key + "_den"] >= QUADRANT_MIN_REVIEWS)]
    if quad.empty:
        st.caption(f"没有同时满足分母条件（办理结果 ≥ {MIN_DENOMINATOR} 件、已审结复议 ≥ {QUADRANT_MIN_REVIEWS} 件）的机构。")
        return
    x_line, y_line = _value(this, x_key), _value(this, y_key)
    quad = quad.assign(quadrant=comparison.quadrant(quad[x_key], quad[y_key], x_line, y_line))
    # The largest agencies are the points one sees; the counts and lists below are of every agency.
    drawn = quad.nlargest(QUADRANT_POINTS, "applications") if len(quad) > QUADRANT_POINTS else quad
    st.plotly_chart(charts.quadrant(drawn, x_key, y_key, x_line, y_line,
                                    title=f"{f.year_to} 年各机构不予公开率与复议纠错率"), key="quadrant")
    st.caption(f"每个点是一个机构（办理结果 ≥ {MIN_DENOMINATOR} 件且已审结复议 ≥ {QUADRANT_MIN_REVIEWS} 件），"
               "点的大小为新收申请量；虚线为所选范围的合计比率。右上象限：不予公开多、复议中又常被纠正，宜优先关注。"
               + (f"图中画出新收申请量最大的 {len(drawn):,} 个（共 {len(quad):,} 个），下方计数与明细含全部机构。"
                  if len(drawn) < len(quad) else ""))
    # The agencies of each quadrant as text, largest first: names read at a glance, without the
    # table (a table's grid is one more component for the browser to load and draw).
    by_size = quad.sort_values("applications", ascending=False)
    for col, q in zip(st.columns(len(comparison.QUADRANTS)), comparison.QUADRANTS):
        names = by_size.loc[by_size["quadrant"] == q, "name"].tolist()
        shown = "、".join(md(n) for n in names[:NAMES_PER_QUADRANT])
        more = f" 等 {len(names)} 个" if len(names) > NAMES_PER_QUADRANT else ""
        col.markdown(f"**{q}**（{len(names)} 个）  \n" + (f":small[{shown}{more}]" if names else ":small[—]"))
    # The full list in a popover built only when opened (opening it reruns the page): sent with
    # every landing, its table was most of the bytes at a million reports (600 KB of 860).
    details = st.popover(f"全部 {len(quad):,} 个机构的象限明细（可排序、下载 CSV）", width="stretch",
                         key="ov_quadrant_details", on_change="rerun")
    with details:
        if not details.open:
            st.caption("载入中…")
            return
        ui.table(quad.sort_values([x_key], ascending=False), "quadrant",
                 {"name": "机构", "quadrant": "象限", x_key: METRICS[x_key].label, x_key + "_den": "办理结果（件）",
                  y_key: METRICS[y_key].label, y_key + "_den": "已审结复议（件）"}, links={"name": "agency_id"})


def trends_view() -> None:
    st.subheader("趋势")
    in_range = kpi[kpi["year"].between(f.year_from, f.year_to)].copy()
    if len(in_range) < 2:
        st.caption("所选年份只有一年，趋势需要至少两个年份。")
    for row in CARD_ROWS:
        for col, (column, title, metric) in zip(st.columns(4), row):
            with col:
                st.markdown(f"**{title}**")
                fig = charts.sparkline(in_range, metric or "applications", column=metric or column,
                                       title=f"{f.year_from}–{f.year_to} 年")
                st.plotly_chart(fig, key=f"trend_{column}")


def top_view() -> None:
    st.subheader(f"{f.year_to} 年新收申请最多的机构")
    top = ui.query("top_agencies", **{**f.params(), "year_from": f.year_to}, limit=15)
    if top.empty:
        st.caption("没有数据。")
        return
    st.plotly_chart(charts.bars(top, "name", "applications", title=f"{f.year_to} 年新收申请最多的机构",
                                 category_title="机构"), key="top_agencies")
    top = top.assign(level=top["level"].map(LEVELS).fillna(top["level"]),
                     kind=top["kind"].map(KINDS).fillna(top["kind"]))
    ui.table(top, "top_agencies", {"name": "机构", "level": "层级", "kind": "类型", "applications": "新收申请量"},
             links={"name": "agency_id"})


# The cards come first on the page but are built last: the view's chart, sent first, has the
# browser fetch and start Plotly's script (4.7 MB, loaded when a page first shows a chart) while
# the server still works out the cards, instead of after the whole run (about 0.2 s of a new
# session's landing in two A/B runs of the browser benchmark).
cards_area = st.container()
st.divider()
view = page_state.segmented(st, "查看", list(VIEWS), key="ov_view", format_func=VIEWS.get,
                            label_visibility="collapsed")
{"quadrant": quadrant_view, "trends": trends_view, "top": top_view}[view]()
with cards_area:
    cards()
