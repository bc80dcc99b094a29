"""Building the evaluation of one region and year from the warehouse: every number a ``Figure``
read through ``sources.value`` from a query and its parameters (no language model, no number
typed in)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import stats
from ..dashboard import comparison
from ..dashboard.filters import DATASETS, KINDS, LEVELS
from ..errors import ReportError
from ..metrics import METRICS
from ..quality import definitions_table, registry
from ..rules import SEVERITY_ZH, name_zh
from . import charts, sources
from . import queries as eq
from .model import Chart, Evaluation, Figure, Para, Section, Table, name_of, source

# The headline table: the registry's metrics a supervisor reads first (labels, formulas from there).
HEADLINE = ["applications", "substantive_disclosure_rate", "grant_rate", "denial_rate", "unable_rate",
            "review_correction_rate", "litigation_correction_rate", "dispute_rate", "on_time"]
TREND = ["substantive_disclosure_rate", "denial_rate", "review_correction_rate", "on_time"]
COMPARED = ["denial_rate", "review_correction_rate", "substantive_disclosure_rate"]
APPENDIX = ["applications", "substantive_disclosure_rate", "denial_rate", "review_correction_rate", "on_time"]
TREND_YEARS = 5
RANK_ROWS = 10
_POLARITY_ZH = {"higher_better": "越高越好", "higher_worse": "越高越差", "neutral": "无好坏方向"}


class _Builder:
    def __init__(self, con, ev: Evaluation, filters: dict):
        self.con, self.ev, self.filters = con, ev, filters
        self.cache: dict = {}

    def fig(self, key, label, fmt, definition, query, params, *, row=None, column="", step="") -> Figure:
        src = source(query, params, row=row, column=column, step=step)
        return self.ev.add(Figure(key, label, sources.value(self.con, src, self.cache), fmt, definition, src))

    def frame(self, query, params, step="") -> pd.DataFrame:
        return sources.frame(self.con, source(query, params, step=step), self.cache)


def resolve_region(con, region: str) -> tuple[dict, str]:
    """``淮安市`` or ``江苏省/淮安市``: the place filters and the tier of the name."""
    parts = [p.strip() for p in str(region or "").split("/") if p.strip()]
    if not parts:
        raise ReportError("请给出地区名称（省、市或区县，例如：淮安市）")
    found = eq.places(con, name=parts[-1])
    for outer in parts[:-1]:
        found = found[(found["province"] == outer) | (found["city"] == outer)]
    if found.empty:
        raise ReportError(f"未知的地区“{region}”：数据仓库中没有这个省、市或区县的机构")
    if len(found) > 1:
        options = "；".join("/".join(p for p in (r.province, r.city, r.county) if p) for r in found.itertuples())
        raise ReportError(f"地区名称“{region}”不唯一（{options}）：请写成“省/市/区县”的形式")
    r = found.iloc[0]
    place = {k: (None if pd.isna(r[k]) else r[k]) for k in ("province", "city", "county")}
    return place, str(r["tier"])


def build(con, region: str, year: int, *, today: dt.date | None = None) -> Evaluation:
    place, tier = resolve_region(con, region)
    year = int(year)
    datasets = list(DATASETS)
    base = {"province": place["province"], "city": place["city"], "county": place["county"],
            "levels": [], "kinds": [], "datasets": datasets}
    cov = eq.coverage_agencies(con, year=year, **base)
    if cov.empty or not cov["published"].any():
        years = sorted(set(_years(con, base)))
        said = "、".join(map(str, years)) or "无"
        raise ReportError(f"{region}没有 {year} 年度的报告（该地区有报告的年度：{said}）")
    ev = Evaluation(region=parts_label(place), year=year, place=place, tier=tier,
                    datasets=sorted(set(cov["dataset"])), generated=today or dt.date.today())
    b = _Builder(con, ev, {**base, "year_from": year, "year_to": year})
    ev.sections = [_overview(b, base, cov), _coverage(b, base), _comparisons(b), _quality(b), _findings(b),
                   _appendix(b)]
    return ev


def parts_label(place: dict) -> str:
    return next(p for p in (place["county"], place["city"], place["province"]) if p)


def _years(con, base) -> list[int]:
    df = eq.rate_trend(con, metrics=["applications"], **{**base, "year_from": 1900, "year_to": 9999})
    return [int(y) for y in df["year"]]


# ---------------------------------------------------------------- 一、总体情况


def _overview(b: _Builder, base: dict, cov: pd.DataFrame) -> Section:
    ev, year = b.ev, b.ev.year
    cov_q = ("evaluate.coverage_agencies", {**base, "year": year})
    n_known = b.fig("cov.known", "出现过的机构数", "count", "本地区在数据仓库中有任一年度报告的机构数", *cov_q)
    n_pub = b.fig("cov.published", "发布本年度报告的机构数", "count", f"有 {year} 年度现行报告的机构数", *cov_q,
                  row={"published": True})
    n_missing = b.fig("cov.missing", "未发布本年度报告的机构数", "count",
                      f"出现过但没有 {year} 年度报告的机构数", *cov_q, row={"published": False})
    demo = "（其中含演示数据：演示机构为虚构，数字不代表任何真实机关）" if "demo" in ev.datasets else ""
    intro = Para([f"本评估依据数据仓库中已导入的{ev.region}各机构{year}年度政府信息公开工作年度报告{demo}，"
                  "全部数字由数据仓库按固定公式计算，每个数字的筛选条件见文末注释。本地区共有 ", n_known,
                  " 个机构出现在数据仓库中，其中 ", n_pub, " 个机构发布了本年度报告，", n_missing,
                  " 个机构未发布（名单见第二部分）。"])
    trend_params = {**base, "year_from": year - TREND_YEARS + 1, "year_to": year, "metrics": HEADLINE}
    q = ("evaluate.rate_trend", trend_params)
    rows = []
    for k in HEADLINE:
        m = METRICS[k]
        fmt = "percent" if m.percent else "count" if m.kind == "count" else "decimal"
        col = f"ratio:{k}" if m.is_ratio else f"sum:{k}_num"
        now = b.fig(f"head.{k}.{year}", m.label, fmt, m.formula, *q, row={"year": year}, column=col)
        before = b.fig(f"head.{k}.{year - 1}", f"{m.label}（上年）", fmt, m.formula, *q, row={"year": year - 1},
                       column=col)
        den = b.fig(f"head.{k}.den", f"{m.label}的分母", "count", m.base, *q, row={"year": year},
                    column=f"sum:{k}_den")
        if m.is_ratio:
            lo = b.fig(f"head.{k}.lo", f"{m.label} 95% 区间下限", "percent", "Wilson 区间", *q, row={"year": year},
                       column=f"wilson_lo:{k}")
            hi = b.fig(f"head.{k}.hi", f"{m.label} 95% 区间上限", "percent", "Wilson 区间", *q, row={"year": year},
                       column=f"wilson_hi:{k}")
        else:
            lo = hi = "—"
        rows.append([m.label, now, before, den, lo, hi, f"{m.formula}（{m.unit}，{_POLARITY_ZH[m.polarity]}）"])
    table = Table("表 1　主要指标", ["指标", f"{year}年", f"{year - 1}年", "分母", "95%区间下限", "95%区间上限",
                                  "定义（单位，方向）"], rows,
                  "比率 = 各机构分子之和 ÷ 分母之和（不是各机构比率的平均）；计数的“分母”为给出该项的报告数。")
    trend = b.frame(*q)
    years = list(range(year - TREND_YEARS + 1, year + 1))
    series = {}
    for k in TREND:
        by_year = {int(r["year"]): (r[f"{k}_num"], r[f"{k}_den"]) for _, r in trend.iterrows()}
        series[METRICS[k].label] = [by_year[y][0] / by_year[y][1] if y in by_year and by_year[y][1] else None
                                    for y in years]
    chart = Chart("图 1　主要比率的年度变化", charts.trend(years, series, f"{ev.region}主要比率（{years[0]}–{year}年）"),
                  "数据同表 1 的查询（rate_trend），年度范围扩展到近五年。")
    return Section("一、总体情况", [intro, table, chart])


# ---------------------------------------------------------------- 二、发布情况


def _coverage(b: _Builder, base: dict) -> Section:
    year = b.ev.year
    cov_p = {**base, "year": year}
    cov = b.frame("evaluate.coverage_agencies", cov_p)
    missing = cov[~cov["published"].astype(bool)]
    rows = []
    for r in missing.itertuples():
        n = b.fig(f"cov.missing.{r.agency_id}.years", "已发布年数", "count", "该机构在仓库中的报告年数",
                  "evaluate.coverage_agencies", cov_p, row={"agency_id": r.agency_id}, column="n_years")
        last = "—" if pd.isna(r.last_before) else f"{int(r.last_before)}年"
        rows.append([r.name, name_of(LEVELS, r.level, "层级不明"), name_of(KINDS, r.kind, "类型不明"), last, n])
    blocks = [Para([f"下表列出本地区在数据仓库中出现过、但没有 {year} 年度报告的机构"
                    "（可能未发布，也可能尚未采集导入）。"])]
    if rows:
        blocks.append(Table("表 2　未发布本年度报告的机构", ["机构", "层级", "类型", "此前最近一次报告", "已发布年数"], rows))
    else:
        blocks.append(Para(["本地区出现过的机构均有本年度报告。"]))
    qp = ("dashboard.quality_ranking", {**b.filters, "limit": 100000})
    on = b.fig("time.on", "按期发布的报告数", "count", "发布日期不晚于法定期限", *qp, row={"on_time": True})
    late = b.fig("time.late", "逾期发布的报告数", "count", "发布日期晚于法定期限", *qp, row={"on_time": False})
    unknown = b.fig("time.unknown", "发布日期不明的报告数", "count", "报告和清单都没有给出发布日期", *qp,
                    row={"on_time": None})
    rule = registry().deadline
    blocks.append(Para(["发布时限：", on, " 份报告按期发布，", late, " 份逾期，", unknown, " 份发布日期不明。"
                        f"期限：{rule['rule']}（{rule['source']}）。"]))
    return Section("二、发布情况", blocks)


# ---------------------------------------------------------------- 三、比较分析


def _comparisons(b: _Builder) -> Section:
    min_den = stats.MIN_DENOMINATOR
    method = comparison.METHOD_TEXT.replace("**", "")
    blocks: list = [Para([f"{method}排名只包括分母不少于 {min_den} 件的机构。"])]
    for i, k in enumerate(COMPARED, 1):
        m = METRICS[k]
        fp = {**b.filters, "metric": k, "limit": 20000}
        q = ("dashboard.metric_funnel", fp)
        rank_step = f"rank:{k}:{min_den}"
        ranked = b.frame(*q, step=rank_step)
        sub = Section(f"（{i}）{m.label}")
        n_all = b.fig(f"cmp.{k}.n", f"{m.label}有分母的机构数", "count", "分母大于 0 的机构", *q, step=rank_step)
        n_small = b.fig(f"cmp.{k}.small", f"{m.label}分母不足的机构数", "count", f"分母少于 {min_den} 件", *q,
                        row={"eligible": False}, step=rank_step)
        sub.blocks.append(Para([f"{m.label}：{m.formula}。有分母的机构 ", n_all, " 个，其中 ", n_small,
                                f" 个分母少于 {min_den} 件，未参与排名。"]))
        rows = []
        for r in ranked[ranked["eligible"]].head(RANK_ROWS).itertuples():
            pick = {"agency_id": r.agency_id}
            cells = [r.name]
            for col, label, fmt in (("value", m.label, "percent"), ("num", "分子", "count"), ("den", "分母", "count"),
                                    ("lo", "95%区间下限", "percent"), ("hi", "95%区间上限", "percent")):
                cells.append(b.fig(f"cmp.{k}.rank.{r.agency_id}.{col}", label, fmt, m.formula, *q, row=pick,
                                   column=col, step=rank_step))
            rows.append(cells)
        order = "越高越差，最需关注的在前" if m.direction < 0 else "越高越好，最需关注（最低）的在前" if m.direction > 0 else "从高到低"
        if rows:
            sub.blocks.append(Table(f"表 3-{i}a　{m.label}排名（{order}，前 {RANK_ROWS} 名）",
                                    ["机构", m.label, "分子", "分母", "95%区间下限", "95%区间上限"], rows))
        points = b.frame(*q, step="funnel")
        out_rows = []
        for r in points[points["outside"] != ""].itertuples():
            pick = {"agency_id": r.agency_id}
            cells = [r.name, comparison.peer_group_labels([r.peer_group], LEVELS, KINDS)[r.peer_group]]
            for col, label, fmt in (("num", "观察数", "count"), ("expected", "期望数", "decimal"), ("den", "分母", "count"),
                                    ("rate", m.label, "percent"), ("p0", "同类合并比率", "percent")):
                cells.append(b.fig(f"cmp.{k}.out.{r.agency_id}.{col}", label, fmt, "漏斗图：同类组合并比率与精确二项控制限",
                                   *q, row=pick, column=col, step="funnel"))
            cells.append(comparison.outlier_wording(k, r.outside))
            out_rows.append(cells)
        if out_rows:
            sub.blocks.append(Table(f"表 3-{i}b　{m.label}漏斗图离群机构（99.8% 控制限外）",
                                    ["机构", "同类组", "观察数", "期望数", "分母", m.label, "同类合并比率", "判断"], out_rows))
        else:
            sub.blocks.append(Para([f"{m.label}没有落在 99.8% 控制限之外的机构。"]))
        if not points.empty:
            groups = points.groupby("peer_group").size().sort_values(ascending=False, kind="mergesort")
            part = points[points["peer_group"] == groups.index[0]]
            curves = comparison.funnel_curves(float(part["p0"].iloc[0]), float(part["den"].max()))
            label = comparison.peer_group_labels([groups.index[0]], LEVELS, KINDS)[groups.index[0]]
            sub.blocks.append(Chart(f"图 3-{i}　{m.label}漏斗图（{label}）",
                                    charts.funnel(part, curves, m.label, f"{m.label}：{label}（{len(part)} 个机构）"),
                                    "每个点是一个机构；实线为 99.8% 控制限，虚线为 95% 控制限，以同类组合并比率为中心。"))
        blocks.append(sub)
    return Section("三、比较分析", blocks)


# ---------------------------------------------------------------- 四、年报质量评分


def _quality(b: _Builder) -> Section:
    reg = registry()
    qp = ("dashboard.quality_ranking", {**b.filters, "limit": 100000})
    ranked = b.frame(*qp)
    mean = b.fig("quality.mean", "平均总分", "score", reg.total_formula, *qp, column="mean:score")
    blocks: list = [Para([f"每份报告按四项打分（0–1），{reg.total_formula}。本地区本年度报告的平均总分为 ", mean, "。"]),
                    Table("表 4　评分公式", ["项", "权重", "公式", "分母 / 口径"],
                          [[r["part"], f"{r['weight']:g}", r["formula"], r["base"]] for r in definitions_table()])]
    rows = []
    for r in ranked.itertuples():
        pick = {"report_id": r.report_id}
        cells = [b.fig(f"quality.{r.report_id}.rank", "排名", "count", "总分从高到低，同分同名次", *qp, row=pick,
                       column="rank_all"), r.name]
        for col, label, fmt in (("score", "总分", "score"), ("completeness", "完整性", "percent"),
                                ("n_blank", "空白必填单元格", "count"), ("n_required", "必填单元格", "count"),
                                ("consistency", "一致性", "percent"), ("n_errors", "错误", "count"),
                                ("n_warnings", "警告", "count"), ("timeliness", "及时性", "percent"),
                                ("days_late", "逾期天数", "days"), ("originality", "原创性", "percent")):
            cells.append(b.fig(f"quality.{r.report_id}.{col}", label, fmt, reg.parts[col].formula
                               if col in reg.parts else label, *qp, row=pick, column=col))
        rows.append(cells)
    blocks.append(Table("表 5　年报质量评分排名", ["排名", "机构", "总分", "完整性", "空白", "必填", "一致性", "错误",
                                          "警告", "及时性", "逾期天数", "原创性"], rows,
                        "完整性、一致性、及时性、原创性以百分比表示（1 = 100%）；逾期天数为负表示提前。"))
    top = ranked.head(30)
    blocks.append(Chart("图 4　年报质量评分", charts.bars(list(top["name"]), list(top["score"]),
                                                     f"{b.ev.region}{b.ev.year}年度年报质量评分", "总分"),
                        "按总分从高到低，最多 30 个机构；数据同表 5。"))
    return Section("四、年报质量评分", blocks)


# ---------------------------------------------------------------- 五、检查发现


def _findings(b: _Builder) -> Section:
    q = ("dashboard.findings_summary", dict(b.filters))
    summary = b.frame(*q)
    rows = []
    for r in summary.itertuples():
        pick = {"rule": r.rule, "severity": r.severity}
        rows.append([name_zh(r.rule), r.rule, SEVERITY_ZH.get(r.severity, r.severity),
                     b.fig(f"find.rule.{r.rule}.{r.severity}.n", "条数", "count", "该规则的检查发现", *q, row=pick,
                           column="n"),
                     b.fig(f"find.rule.{r.rule}.{r.severity}.open", "待确认", "count", "尚无处理决定", *q, row=pick,
                           column="n_open")])
    blocks: list = []
    blocks.append(Table("表 6　各规则的检查发现", ["规则", "代码", "级别", "条数", "待确认"], rows)
                  if rows else Para(["本年度报告没有检查发现。"]))
    qa = ("evaluate.findings_by_agency", dict(b.filters))
    rows = []
    for r in b.frame(*qa).itertuples():
        pick = {"agency_id": r.agency_id, "year": r.year}
        cells = [r.name]
        for col, label in (("n_error", "错误"), ("n_warning", "警告"), ("n_open", "待确认"), ("n_decided", "已处理")):
            cells.append(b.fig(f"find.agency.{r.agency_id}.{col}", label, "count", "未被驳回的错误级、警告级发现",
                               *qa, row=pick, column=col))
        rows.append(cells)
    if rows:
        blocks.append(Table("表 7　各机构的检查发现", ["机构", "错误", "警告", "待确认", "已处理"], rows,
                            "不含已驳回的发现；“已处理”为已确认、已通知、已整改等有处理决定的发现。"))
    return Section("五、检查发现", blocks)


# ---------------------------------------------------------------- 附录


def _appendix(b: _Builder) -> Section:
    reg = registry()
    qm = ("dashboard.agency_metrics", {**b.filters, "metrics": APPENDIX, "limit": 100000})
    qq = ("dashboard.quality_ranking", {**b.filters, "limit": 100000})
    agencies = b.frame(*qm).sort_values(["name", "agency_id"])
    quality = b.frame(*qq).set_index("agency_id")
    section = Section("附录　各机构情况")
    for r in agencies.itertuples():
        rows = []
        for k in APPENDIX:
            m = METRICS[k]
            fmt = "percent" if m.percent else "count"
            value = b.fig(f"app.{r.agency_id}.{k}", m.label, fmt, m.formula, *qm, row={"agency_id": r.agency_id},
                          column=k)
            den = (b.fig(f"app.{r.agency_id}.{k}.den", f"{m.label}的分母", "count", m.base, *qm,
                         row={"agency_id": r.agency_id}, column=f"{k}_den") if m.is_ratio else "—")
            rows.append([m.label, value, den, m.formula])
        if r.agency_id in quality.index:
            rid = int(quality.loc[r.agency_id, "report_id"])
            for col, label, fmt in (("score", "年报质量总分", "score"), *((k, p.label, "percent") for k, p in reg.parts.items())):
                rows.append([label, b.fig(f"app.{r.agency_id}.{col}", label, fmt, reg.total_formula if col == "score"
                                          else reg.parts[col].formula, *qq, row={"report_id": rid}, column=col),
                             "—", reg.total_formula if col == "score" else reg.parts[col].formula])
        section.blocks.append(Section(str(r.name), [Table(f"{r.name}", ["项目", "数值", "分母", "定义"], rows)]))
    return section
