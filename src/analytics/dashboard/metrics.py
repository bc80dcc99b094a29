"""What each metric of docs/spec/metrics.md is called and how a group's value is formed.

A group's rate is ``sum(num) / sum(den)`` (never an average of per-report rates); for a count the
warehouse sets den to 1 where the report gives the figure, so the group's count is ``sum(num)``
and ``sum(den)`` says how many reports gave it. Per-100 numerators already hold the factor 100. The formula and denominator texts are shown beside every figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str  # rate | count | per100 | amount
    formula: str
    denominator: str
    template: str | None = None  # "2021" when the field exists only in that template

    @property
    def is_ratio(self) -> bool:
        return self.kind in ("rate", "per100")


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric("applications", "新收申请量", "count", "本年新收申请数（总计列）", "—（计数）"),
        Metric("workload", "受理总量", "count", "本年新收 + 上年结转", "—（计数）"),
        Metric("completion_rate", "办结率", "rate", "办理结果总计 ÷ 受理总量", "受理总量（新收 + 上年结转）"),
        Metric("carry_forward_rate", "结转率", "rate", "结转下年度 ÷ 受理总量", "受理总量（新收 + 上年结转）"),
        Metric("backlog_change", "积压变化", "count", "结转下年度 − 上年结转", "—（差值）"),
        Metric("grant_rate", "予以公开率", "rate", "予以公开 ÷ 办理结果总计", "办理结果总计"),
        Metric("substantive_disclosure_rate", "实质公开率", "rate",
               "（予以公开 + 部分公开）÷ 办理结果总计", "办理结果总计"),
        Metric("resolvable_disclosure_rate", "可处理申请公开率", "rate",
               "（予以公开 + 部分公开）÷（办理结果总计 − 不予处理 − 其他处理）",
               "办理结果总计减去不予处理与其他处理"),
        Metric("denial_rate", "不予公开率", "rate", "不予公开（8 项理由之和）÷ 办理结果总计", "办理结果总计"),
        Metric("unable_rate", "无法提供率", "rate", "无法提供（3 项之和）÷ 办理结果总计", "办理结果总计"),
        Metric("not_held_rate", "不掌握信息占比", "rate", "本机关不掌握相关政府信息 ÷ 办理结果总计", "办理结果总计"),
        Metric("procedural_closure_rate", "程序性办结率", "rate",
               "（不予处理 + 其他处理）÷ 办理结果总计", "办理结果总计"),
        Metric("legal_person_share", "法人申请占比", "rate",
               "（新收总计 − 自然人）÷ 新收总计", "本年新收申请数"),
        Metric("dispute_rate", "争议转化率", "rate",
               "（行政复议总计 + 未经复议直接起诉总计）÷ 新收申请数", "本年新收申请数"),
        Metric("dispute_per_100", "每百件申请争议数", "per100",
               "100 ×（行政复议总计 + 未经复议直接起诉总计）÷ 新收申请数", "本年新收申请数"),
        Metric("review_correction_rate", "复议纠错率", "rate",
               "复议结果纠正 ÷ 复议已审结（总计 − 尚未审结）", "行政复议已审结件数"),
        Metric("litigation_correction_rate", "诉讼纠错率", "rate",
               "诉讼结果纠正（两类诉讼）÷ 诉讼已审结（两类诉讼）", "行政诉讼已审结件数"),
        Metric("correction_per_100", "每百件申请被纠错数", "per100",
               "100 × 复议与诉讼纠正之和 ÷ 新收申请数", "本年新收申请数"),
        Metric("pending_share", "未审结占比", "rate",
               "复议与诉讼尚未审结之和 ÷ 复议与诉讼总计", "复议与诉讼总件数"),
        Metric("net_new_normative", "规范性文件净增", "count",
               "规范性文件本年制发 − 本年废止", "—（差值，仅 2021 版模板）", "2021"),
        Metric("on_time", "按时发布率", "rate",
               "按期发布的报告 ÷ 有发布日期的报告（部门 1 月 31 日、政府 3 月 31 日前）", "有发布日期的报告数"),
        Metric("licensing_decisions", "行政许可决定数", "count", "如报告所列", "—（计数）"),
        Metric("punishment_decisions", "行政处罚决定数", "count", "如报告所列", "—（计数）"),
        Metric("coercion_decisions", "行政强制决定数", "count", "如报告所列", "—（计数）"),
        Metric("fees_amount", "行政事业性收费（万元）", "amount", "如报告所列（2021 版模板）", "—（金额）", "2021"),
    ]
}

RATE_KEYS = [k for k, m in METRICS.items() if m.is_ratio]
COUNT_KEYS = [k for k, m in METRICS.items() if not m.is_ratio]

# The headline cards of the overview page, in display order.
HEADLINE = [
    "substantive_disclosure_rate",
    "denial_rate",
    "review_correction_rate",
    "litigation_correction_rate",
    "dispute_rate",
]

# Fields that the 2021 template changed: a trend across 2020/2021 is not comparable for them.
TEMPLATE_SENSITIVE = {"net_new_normative", "fees_amount", "procedural_closure_rate", "resolvable_disclosure_rate"}

SMALL_REPORTS = 30
SMALL_CASES = 30


def label(key: str) -> str:
    return METRICS[key].label


def fmt(key: str, value) -> str:
    """A metric value as text; undefined (denominator 0) is an em dash, never 0."""
    if value is None or value != value:  # None or NaN
        return "—"
    m = METRICS[key]
    if m.kind == "rate":
        return f"{value * 100:.1f}%"
    if m.kind == "per100":
        return f"{value:.2f}"
    if m.kind == "amount":
        return f"{value:,.2f}"
    return f"{value:,.0f}"
