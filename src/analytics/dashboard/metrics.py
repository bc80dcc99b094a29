"""How the dashboard shows the registry's metrics (``analytics.metrics``): text, formats, colours.

A group's rate is ``sum(num) / sum(den)`` (never an average of per-report rates); for a count the
warehouse sets den to 1 where the report gives the figure, so the group's count is ``sum(num)``
and ``sum(den)`` says how many reports gave it. Per-100 numerators already hold the factor 100.
Nothing here defines a metric: labels, formulas, units and polarity all come from the registry.
"""

from __future__ import annotations

from ..metrics import METRICS, Metric, metric  # noqa: F401  (re-exported for the pages)

# The headline cards of the overview page, in display order.
HEADLINE = [
    "substantive_disclosure_rate",
    "denial_rate",
    "review_correction_rate",
    "litigation_correction_rate",
    "dispute_rate",
]

# Fields that the 2021 template changed: a trend across 2020/2021 is not comparable for them.
TEMPLATE_SENSITIVE = {k for k, m in METRICS.items() if m.template_sensitive}



def label(key: str) -> str:
    return METRICS[key].label


def fmt(key: str, value) -> str:
    """A metric value as text; undefined (denominator 0) is an em dash, never 0."""
    if value is None or value != value:  # None or NaN
        return "—"
    m = METRICS[key]
    if m.percent:
        return f"{value * 100:.1f}%"
    if m.unit == "件/百件申请":
        return f"{value:.2f}"
    if m.kind == "amount":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def grid_format(key: str) -> str:
    """The number format of a metric's column in a table (rates are shown scaled to per cent)."""
    m = METRICS[key]
    if m.percent:
        return "%.1f%%"
    if m.is_ratio or m.kind == "amount":
        return "%.2f"
    return "localized"


def plot_format(key: str) -> str:
    """The d3 format of a metric's axis and hover values."""
    m = METRICS.get(key)
    if m is None or m.kind == "count":
        return ","
    return ".0%" if m.percent else ",.2f"


def help_text(key: str) -> str:
    """The 公式与分母 text shown beside a figure."""
    m = METRICS[key]
    note = "（仅 2021 版模板有此项）" if m.template == "2021" else ""
    return (f"**{m.label}**{note}\n\n公式：{m.formula}\n\n分母：{m.base}\n\n单位：{m.unit}\n\n"
            "分母为 0 时显示“—”，不记为 0。")
