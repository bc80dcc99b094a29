"""The evaluation as data: every number it prints is a ``Figure`` with its value, label,
definition and the query and parameters that produced it; tables, charts and paragraphs only
arrange figures. The renderers (``docx_out``, ``pdf_out``) never compute anything, and the tests
recompute every figure from its source."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from ..dashboard.filters import DATASETS, KINDS, LEVELS

FORMATS = ("count", "percent", "decimal", "score", "days")


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a query function (``dashboard`` or ``evaluate`` queries) with its
    keyword parameters, the row it is read from (column values), the column, and an optional
    named step applied to the query's rows first (``funnel``, ``wilson``; see ``sources``)."""
    query: str
    params: tuple  # sorted (name, value) pairs, values made hashable
    row: tuple = ()  # (column, value) pairs that pick the row; empty: the only row or a sum
    column: str = ""
    step: str = ""  # "", "funnel", "rank:<metric>:<min_den>", "ratio", "wilson_lo", "wilson_hi", "count", "sum", "mean"

    def kwargs(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}


def source(query: str, params: dict, *, row: dict | None = None, column: str = "", step: str = "") -> Source:
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return Source(query, frozen, tuple(sorted((row or {}).items())), column, step)


@dataclass
class Figure:
    key: str
    label: str
    value: float | None
    fmt: str
    definition: str
    source: Source
    note: int = 0  # footnote number, given when the figure is added to an evaluation

    def text(self) -> str:
        return format_value(self.value, self.fmt)


def name_of(names: dict, value, unknown: str) -> str:
    """The Chinese name of a level or kind; a missing one (NULL, NaN from a frame) as ``unknown``."""
    return names.get(value, value) if isinstance(value, str) and value else unknown


def format_value(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if fmt == "percent":
        return f"{value * 100:.1f}%"
    if fmt == "score":
        return f"{value:.1f}"
    if fmt == "decimal":
        return f"{value:.2f}"
    return f"{value:,.0f}"  # count, days


def parse_value(text: str, fmt: str) -> float | None:
    """The number a cell's text shows (the test reads the documents back with it)."""
    text = text.strip()
    if text == "—":
        return None
    if fmt == "percent":
        return float(text.rstrip("%")) / 100
    return float(text.replace(",", ""))


def tolerance(fmt: str) -> float:
    """Half of the last digit shown: a shown figure equals a value when within it."""
    return {"percent": 0.0005, "score": 0.05, "decimal": 0.005}.get(fmt, 0.5) + 1e-9


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]  # cells: str or Figure
    note: str = ""


@dataclass
class Para:
    parts: list  # str or Figure, in reading order

    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)


@dataclass
class Chart:
    title: str
    png: bytes
    caption: str


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)  # Para, Table, Chart, or a Section (a sub-heading)


@dataclass
class Evaluation:
    region: str
    year: int
    place: dict  # province / city / county of the region
    tier: str
    datasets: list[str]
    generated: dt.date
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    notes: dict[Source, int] = field(default_factory=dict)  # one footnote per distinct query + parameters

    @property
    def title(self) -> str:
        return f"{self.region}{self.year}年度政府信息公开工作年度报告评估"

    def add(self, fig: Figure) -> Figure:
        if fig.key in self.figures:
            raise ValueError(f"figure {fig.key} added twice")
        base = Source(fig.source.query, fig.source.params)
        fig.note = self.notes.setdefault(base, len(self.notes) + 1)
        self.figures[fig.key] = fig
        return fig

    def note_texts(self) -> list[tuple[int, str]]:
        return [(n, describe(s)) for s, n in sorted(self.notes.items(), key=lambda kv: kv[1])]


TIERS = {"province": "省", "city": "地市", "county": "区县"}


def describe(src: Source) -> str:
    """The filters of a query in words: what a footnote says."""
    from ..metrics import METRICS

    p = src.kwargs()
    module, _, name = src.query.partition(".")
    parts = [f"查询 {src.query}（{module}/sql/{name}.sql）"]
    place = " / ".join(str(p[k]) for k in ("province", "city", "county") if p.get(k))
    if "province" in p:
        parts.append(f"地区：{place or '全部'}")
    if "year_from" in p:
        y0, y1 = p["year_from"], p["year_to"]
        parts.append(f"年度：{y0}" if y0 == y1 else f"年度：{y0}–{y1}")
    if "year" in p:
        parts.append(f"报告年度：{p['year']}")
    if "levels" in p:
        parts.append("层级：" + ("、".join(LEVELS.get(v, v) for v in p["levels"]) or "全部"))
    if "kinds" in p:
        parts.append("类型：" + ("、".join(KINDS.get(v, v) for v in p["kinds"]) or "全部"))
    if "datasets" in p:
        parts.append("数据集：" + "、".join(DATASETS.get(v, v) for v in p["datasets"]))
    if p.get("metric"):
        parts.append(f"指标：{METRICS[p['metric']].label}（{p['metric']}）")
    if p.get("metrics"):
        parts.append("指标：" + "、".join(METRICS[k].label for k in p["metrics"] if k in METRICS))
    if p.get("name"):
        parts.append(f"地区名称：{p['name']}")
    return "；".join(parts)
