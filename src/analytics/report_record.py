"""The canonical report record as a typed value: what parsing produces and loading consumes.

A ``Report`` is immutable. A later stage that knows better than the document (the file's path
and hash, a manifest's agency and year) makes a new one through ``with_source`` or
``overridden``. ``to_json``/``from_json`` give and read the JSON of docs/spec/report-schema.md:
what ``analytics parse --json`` prints and golden files hold. A record built in code or read from
a gold file has no cells and no source, and is still a ``Report``.

Cells and warnings are named tuples: a report holds some two hundred cells, and a tuple is made
several times faster than a dataclass instance, in the parser's inner loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from . import SCHEMA
from .fields import ACTIVE_DISCLOSURE, APPLICATIONS, PROCESSING_FEES, REVIEW_LITIGATION

Number = int | float


class Cell(NamedTuple):
    """One table cell as the parser read it."""

    table: str  # one of fields.REPORT_TABLES, or fields.PROCESSING_FEES
    row: str  # a fields.csv key: 表三 row, 表四 group or 表二 item
    col: str | None  # 表三/表四 column key; "value" for 表二
    raw: str | None  # the text as printed
    kind: str | None  # number | blank | not_applicable | text
    value: Number | None  # null when blank: blank is not zero
    where: str | None  # page, line or table/row/column in the source
    # OCR's confidence (0–1) in the raw text; None when the text came from a text layer or markup
    confidence: float | None = None

    @classmethod
    def from_json(cls, data: Mapping) -> Cell:
        get = data.get
        return cls(get("table"), get("row"), get("col"), get("raw"), get("kind"), get("value"), get("where"),
                   get("confidence"))


class ReportWarning(NamedTuple):
    """Something the parser could not read, or doubts: a figure is never invented instead."""

    code: str
    message: str
    where: str | None = ""

    @classmethod
    def from_json(cls, data: Mapping) -> ReportWarning:
        return cls(data.get("code"), data.get("message"), data.get("where", ""))


@dataclass(frozen=True)
class Source:
    path: str | None = None
    sha256: str | None = None
    format: str | None = None  # text | markdown | html | docx | doc | pdf
    # The hash of the document's text with line endings, white space, byte-order marks and
    # invisible characters taken out (parsing.document.text_fingerprint): two files of one
    # report that differ only in those have the same. None for a record built in code.
    text_sha256: str | None = None


Table = Mapping[str, Number | None]


@dataclass(frozen=True)
class Report:
    """One annual report. The three tables map fields.csv keys to values (``None``: blank);
    they are never changed once the report is built."""

    agency: str | None
    year: int | None
    template: str | None = None  # "2019" or "2021"
    published: str | None = None  # ISO date
    scope: str | None = None  # jurisdiction | office | agency
    active_disclosure: Table = field(default_factory=dict)
    applications: Mapping[str, Table] = field(default_factory=dict)
    review_litigation: Mapping[str, Table] = field(default_factory=dict)
    # 信息处理费: fee_notices, fee_notice_amount, fee_collected (fields.csv axis "fees")
    processing_fees: Table = field(default_factory=dict)
    sections: Mapping[str, str] | None = None  # overview, problems, other_matters
    source: Source = Source()
    cells: tuple[Cell, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    schema: str = SCHEMA

    def with_source(self, **changes) -> Report:
        """The report with facts about its file that the bytes alone do not give (its path)."""
        return replace(self, source=replace(self.source, **changes))

    def overridden(self, *, agency: str | None = None, year: int | None = None,
                   published: str | None = None) -> Report:
        """The report with a manifest's agency, year and publication date (the date the page
        states, from ``analytics collect``) instead of what parsing found; an empty value leaves
        the parsed one."""
        changes: dict[str, Any] = {}
        if published:
            changes["published"] = published
        if agency:
            changes["agency"] = agency
        if year:
            changes["year"] = year
        return replace(self, **changes) if changes else self

    def content(self) -> dict:
        """The JSON of what the document says: everything but its source, cells and warnings."""
        return {
            "schema": self.schema,
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "published": self.published,
            "scope": self.scope,
            ACTIVE_DISCLOSURE: dict(self.active_disclosure),
            APPLICATIONS: _rows_json(self.applications),
            REVIEW_LITIGATION: _rows_json(self.review_litigation),
            PROCESSING_FEES: dict(self.processing_fees),
            "sections": dict(self.sections) if isinstance(self.sections, Mapping) else self.sections,
        }

    def to_json(self, *, cells: bool = True) -> dict:
        """The record of docs/spec/report-schema.md, keys in its order (fresh dicts throughout)."""
        body = self.content()
        out = {"schema": body.pop("schema"),
               "source": {"path": self.source.path, "sha256": self.source.sha256, "format": self.source.format},
               **body}
        if cells:
            # unpacked by hand: some two hundred cells, and _asdict costs twice as much
            out["cells"] = [{"table": t, "row": r, "col": c, "raw": raw, "kind": k, "value": v, "where": w}
                            if conf is None else
                            {"table": t, "row": r, "col": c, "raw": raw, "kind": k, "value": v, "where": w,
                             "confidence": conf}
                            for t, r, c, raw, k, v, w, conf in self.cells]
        out["warnings"] = [w._asdict() for w in self.warnings]
        return out

    @classmethod
    def from_json(cls, data: Mapping) -> Report:
        """A report from its JSON, or from a record built in code: absent parts are empty."""
        src = data.get("source") or {}
        sections = data.get("sections")
        return cls(
            agency=data.get("agency"),
            year=data.get("year"),
            template=data.get("template"),
            published=data.get("published"),
            scope=data.get("scope"),
            active_disclosure=dict(data.get(ACTIVE_DISCLOSURE) or {}),
            applications=_rows_json(data.get(APPLICATIONS) or {}),
            review_litigation=_rows_json(data.get(REVIEW_LITIGATION) or {}),
            processing_fees=dict(data.get(PROCESSING_FEES) or {}),
            sections=dict(sections) if isinstance(sections, Mapping) else sections,
            source=Source(src.get("path"), src.get("sha256"), src.get("format"), src.get("text_sha256")),
            cells=tuple(Cell.from_json(c) for c in data.get("cells") or ()),
            warnings=tuple(ReportWarning.from_json(w) for w in data.get("warnings") or ()),
            schema=data.get("schema") or SCHEMA,
        )


def as_report(record: Report | Mapping) -> Report:
    """A ``Report`` as it is; a record dict (the spec's JSON, a gold file, a test's) read into one."""
    return record if isinstance(record, Report) else Report.from_json(record)


def _rows_json(rows: Mapping) -> dict:
    # A malformed row (not a mapping) is kept as it is: the loader skips it, the hash counts it.
    return {k: dict(v) if isinstance(v, Mapping) else v for k, v in rows.items()}
