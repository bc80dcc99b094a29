"""The metric registry: every derived metric, read from ``spec/metrics.toml``.

Everything that names a metric takes it from here: the ``report_metrics`` view (its columns are
generated from each entry's SQL), the summary tables that sum those columns, the dashboard's
labels, formulas, number formats and colours, the export's data dictionary, the ``metric_defs``
table of the warehouse and ``docs/metrics.md``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

KINDS = ("count", "rate", "amount")
POLARITIES = ("higher_better", "higher_worse", "neutral")
UNITS = ("%", "件/百件申请", "件", "万元", "份")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class RegistryError(ValueError):
    """An entry of metrics.toml is malformed (a bug in the registry, not bad input)."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str
    unit: str
    polarity: str
    num: str
    den: str
    numerator: str
    denominator: str
    formula: str
    base: str
    template: str | None = None
    template_sensitive: bool = False
    flag_yellow: float | None = None
    flag_red: float | None = None

    @property
    def is_ratio(self) -> bool:
        """A group's value is sum(num) / sum(den); otherwise it is sum(num)."""
        return self.kind == "rate"

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def direction(self) -> int:
        """+1 when a higher value is better, -1 when worse, 0 when neither."""
        return {"higher_better": 1, "higher_worse": -1}.get(self.polarity, 0)

    def flag(self, value: float | None) -> str:
        """"red", "yellow" or "" for a value against the registry's thresholds, read from the
        bad end of the metric's polarity."""
        if value is None or value != value or not self.direction:
            return ""
        for level, limit in (("red", self.flag_red), ("yellow", self.flag_yellow)):
            if limit is not None and (value >= limit if self.direction < 0 else value <= limit):
                return level
        return ""

    def flags_text(self) -> str:
        """The thresholds as a reader sees them, e.g. "≥ 10% 黄 / ≥ 20% 红"."""
        sign = "≥" if self.direction < 0 else "≤"
        shown = [f"{sign} {v * 100:g}% {name}" if self.percent else f"{sign} {v:g} {name}"
                 for v, name in ((self.flag_yellow, "黄"), (self.flag_red, "红")) if v is not None]
        return " / ".join(shown)

    def value_sql(self, num: str, den: str) -> str:
        """A group's value from its summed numerator and denominator expressions."""
        return f"CAST({num} AS DOUBLE) / nullif({den}, 0)" if self.is_ratio else num

    def dictionary_text(self) -> str:
        """The data dictionary's note for this metric (English, like docs/spec/metrics.md)."""
        how = "sum(num) / sum(den) over a group" if self.is_ratio else "sum(num) over a group"
        return (f"{self.kind}, unit {self.unit}, {self.polarity.replace('_', ' ')}; numerator: {self.numerator}; "
                f"denominator: {self.denominator}; columns {self.key}_num, {self.key}_den, {self.key} "
                f"(NULL when the denominator is 0); a group's value is {how}")


def _check(entry: dict, seen: set[str]) -> Metric:
    names = {f.name for f in fields(Metric)}
    unknown = set(entry) - names
    if unknown:
        raise RegistryError(f"metric {entry.get('key')!r}: unknown fields {sorted(unknown)}")
    try:
        m = Metric(**entry)
    except TypeError as exc:
        raise RegistryError(f"metric {entry.get('key')!r}: {exc}") from None
    if not _KEY.match(m.key) or m.key in seen:
        raise RegistryError(f"metric key {m.key!r} is not a new identifier")
    for attr, allowed in (("kind", KINDS), ("polarity", POLARITIES), ("unit", UNITS)):
        if getattr(m, attr) not in allowed:
            raise RegistryError(f"metric {m.key}: {attr} {getattr(m, attr)!r} not in {allowed}")
    if m.template not in (None, "2019", "2021"):
        raise RegistryError(f"metric {m.key}: template {m.template!r}")
    if m.percent and not m.is_ratio:
        raise RegistryError(f"metric {m.key}: a percentage must be a rate")
    if (m.flag_yellow is not None or m.flag_red is not None) and not m.direction:
        raise RegistryError(f"metric {m.key}: flags need a polarity (higher_better or higher_worse)")
    if m.flag_yellow is not None and m.flag_red is not None and (
            (m.flag_red < m.flag_yellow) if m.direction < 0 else (m.flag_red > m.flag_yellow)):
        raise RegistryError(f"metric {m.key}: flag_red must lie beyond flag_yellow on the bad side")
    return m


def parse_registry(text: str) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for entry in tomllib.loads(text).get("metric", []):
        m = _check(entry, set(out))
        out[m.key] = m
    if not out:
        raise RegistryError("metrics.toml defines no metric")
    return out


@lru_cache(maxsize=1)
def registry_text() -> str:
    return resources.files("analytics").joinpath("spec/metrics.toml").read_text(encoding="utf-8")


METRICS: dict[str, Metric] = parse_registry(registry_text())
METRIC_KEYS: list[str] = list(METRICS)


def metric(key: str) -> Metric:
    """The entry of ``key``; an unknown key is a ValueError (keys reach SQL only through here)."""
    try:
        return METRICS[key]
    except KeyError:
        raise ValueError(f"unknown metric {key!r}") from None


_POLARITY_ZH = {"higher_better": "越高越好", "higher_worse": "越高越差", "neutral": "无好坏方向"}
_KIND_ZH = {"count": "计数", "rate": "比率", "amount": "金额"}


def reference_markdown() -> str:
    """docs/metrics.md: the registry as a reference table (tests keep the file equal to this)."""
    lines = [
        "# 指标一览 · Metric reference",
        "",
        "Generated from `src/analytics/spec/metrics.toml` by `python -m analytics.metrics > docs/metrics.md`;",
        "a test fails when this file and the registry differ. Definitions and their reasons:",
        "[`spec/metrics.md`](spec/metrics.md). Every metric is a column triple `<key>_num`, `<key>_den`,",
        "`<key>` of `report_metrics`; a group's rate is `sum(num) / sum(den)`, a count or amount `sum(num)`.",
        "",
        "| key | 名称 | 类型 | 单位 | 方向 | 公式 | 分母 | 预警阈值（黄 / 红） | numerator | denominator |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for k, m in METRICS.items():
        cells = [f"`{k}`", m.label + ("（仅 2021 版模板）" if m.template == "2021" else ""), _KIND_ZH[m.kind],
                 m.unit, _POLARITY_ZH[m.polarity], m.formula, m.base, m.flags_text() or "—", m.numerator,
                 m.denominator]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
