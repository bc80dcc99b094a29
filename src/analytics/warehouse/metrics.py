"""The metrics of docs/spec/metrics.md: names, Chinese names and formulas.

The view itself is ``sql/report_metrics.sql``; this list is what the data dictionary exports and
what tests and the dashboard iterate over. Each metric has ``<m>_num`` and ``<m>_den`` in the view,
and ``<m>`` = num / den (NULL when den is 0). Counts reported as such have den 1 where the report
gives the figure, so ``sum(num)`` over a group is the group total.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import fields as F


@dataclass(frozen=True)
class Metric:
    name: str
    zh: str
    numerator: str
    denominator: str
    kind: str  # rate | count | per100 | share


METRICS: list[Metric] = [
    Metric("applications", "新收申请量", "new_received.total", "1 where reported", "count"),
    Metric("workload", "受理总量", "new_received + carried_over", "1 where reported", "count"),
    Metric("completion_rate", "办结率", "total_processed", "workload", "rate"),
    Metric("carry_forward_rate", "结转率", "carried_forward", "workload", "rate"),
    Metric("backlog_change", "积压变化", "carried_forward − carried_over", "1 where reported", "count"),
    Metric("grant_rate", "予以公开率", "granted", "total_processed", "rate"),
    Metric("substantive_disclosure_rate", "实质公开率", "granted + partially_granted", "total_processed", "rate"),
    Metric("resolvable_disclosure_rate", "可处理申请公开率", "granted + partially_granted",
           "total_processed − refused − other_handled", "rate"),
    Metric("denial_rate", "不予公开率", "Σ denied_*", "total_processed", "rate"),
]
METRICS += [
    Metric(f"denial_share_{k[len('denied_'):]}", f"不予公开理由占比·{F.label('applications_row', k).split('.')[-1]}",
           k, "Σ denied_*", "share")
    for k in F.DENIED_ROWS
]
METRICS += [
    Metric("unable_rate", "无法提供率", "Σ unable_*", "total_processed", "rate"),
    Metric("not_held_rate", "不掌握信息占比", "unable_not_held", "total_processed", "rate"),
    Metric("procedural_closure_rate", "程序性办结率", "Σ refused_* + other handling", "total_processed", "rate"),
    Metric("legal_person_share", "法人申请占比", "new_received.total − new_received.natural_person",
           "new_received.total", "rate"),
    Metric("dispute_rate", "争议转化率", "review.total + litigation_direct.total", "new_received.total", "rate"),
    Metric("dispute_per_100", "每百件申请争议数", "100 × (review.total + litigation_direct.total)",
           "new_received.total", "per100"),
    Metric("review_correction_rate", "复议纠错率", "review.corrected", "review.total − review.pending", "rate"),
    Metric("litigation_correction_rate", "诉讼纠错率", "litigation_direct.corrected + litigation_after_review.corrected",
           "decided litigation (total − pending) of both groups", "rate"),
    Metric("correction_per_100", "每百件申请被纠错数", "100 × corrected of review and both litigation groups",
           "new_received.total", "per100"),
    Metric("pending_share", "未审结占比", "pending of review and both litigation groups",
           "totals of review and both litigation groups", "rate"),
    Metric("net_new_normative", "规范性文件净增", "normative_issued − normative_repealed (2021 template)",
           "1 where reported", "count"),
    Metric("on_time", "按时发布", "1 when published by 31 Jan (departments, offices, zones) or 31 Mar "
           "(governments, townships, unknown kind) of the next year", "1 where the publication date is known", "rate"),
    Metric("licensing_decisions", "行政许可决定数", "licensing_decisions", "1 where reported", "count"),
    Metric("punishment_decisions", "行政处罚决定数", "punishment_decisions", "1 where reported", "count"),
    Metric("coercion_decisions", "行政强制决定数", "coercion_decisions", "1 where reported", "count"),
    Metric("fees_amount", "行政事业性收费金额（万元）", "fees_amount", "1 where reported", "count"),
]

METRIC_NAMES = [m.name for m in METRICS]
