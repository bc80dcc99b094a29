"""One demo report as published: its tables as printed cell texts, its prose, its presentation.

A ``Report`` is what every renderer draws from and what ``truth.jsonl`` describes: the truth of a
cell is ``read_cell`` of the text the document prints, so a blank stays blank and "/" stays
not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import APPLICATION_COLS, OTHER_ROWS_2021, REVIEW_COLS, REVIEW_GROUPS, keys
from ..parsing.cells import read_cell
from .figures import APPLICANTS, FLOW_ROWS, OUTCOME_ROWS, REVIEW_PARTS, YearFigures
from .population import Agency

MONEY = {"fees_amount", "procurement_amount"}


@dataclass
class Style:
    """How this agency lays out this year's report (real reports vary in all of these)."""

    format: str = "html"  # html | docx | pdf | text
    single_other: bool = False  # keeps the single （六）其他处理 row under the 2021 template
    normative_label: str = "行政规范性文件"
    heading_variant: int = 0
    blank_zeros: bool = False  # zero cells of tables 3 and 4 left blank (small agencies do this)
    slash_regulations: bool = False  # 规章 cells printed "/" (agencies that cannot make 规章)
    encoding: str = "utf-8"  # text files: utf-8 | utf-8-sig | gb18030
    page_breaks: bool = False  # text files: a form feed inside table 3
    cms_page: bool = False  # html: the report inside a whole CMS page
    table_captions: bool = False  # "表1" style captions above the tables
    wrong_year_text: bool = False  # planted: the prose copied from last year's report
    prose_offset: int = 0  # planted: the prose states new_received + this


@dataclass
class Report:
    agency: Agency
    year: int
    template: str
    published: str  # ISO date
    style: Style
    active: dict[str, str]  # active key -> printed text
    applications: dict[str, dict[str, str]]  # row -> col -> printed text
    review: dict[str, dict[str, str]]  # group -> col -> printed text
    sections: dict[str, str] = field(default_factory=dict)  # filled by prose.py
    path: str = ""

    @property
    def scope(self) -> str:
        return {"government": "jurisdiction", "office": "office"}.get(self.agency.kind, "agency")

    def value(self, table: str, row: str, col: str = "value"):
        src = {"active_disclosure": self.active, "applications": self.applications,
               "review_litigation": self.review}[table]
        raw = src[row] if table == "active_disclosure" else src[row][col]
        return read_cell(raw)[1]


def numeric_tables(fig: YearFigures, template: str, single_other: bool):
    """The numbers the template asks for: (active, applications, review) with totals filled in."""
    active = {k: fig.active[k] for k in keys("active", template)}
    merge_other = template == "2019" or single_other
    apps: dict[str, dict[str, int]] = {}
    for row in FLOW_ROWS[:2] + OUTCOME_ROWS + FLOW_ROWS[2:]:
        if row in OTHER_ROWS_2021 and merge_other:
            continue
        if row == "total_processed" and merge_other:
            apps["other_total"] = _with_total(sum(fig.apps[r] for r in OTHER_ROWS_2021))
        apps[row] = _with_total(fig.apps[row])
    review = {}
    for group in REVIEW_GROUPS:
        parts = [int(x) for x in fig.review[group]]
        review[group] = dict(zip(REVIEW_PARTS, parts)) | {"total": sum(parts)}
    return active, apps, review


def _with_total(counts) -> dict[str, int]:
    vals = [int(x) for x in counts]
    return dict(zip(APPLICANTS, vals)) | {"total": sum(vals)}


def _fmt(key: str, v) -> str:
    if key in MONEY:
        return "0" if not v else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(int(v))


def printed_tables(active, apps, review, style: Style):
    """Turn numbers into the texts the document prints, following the agency's habits."""
    out_active = {k: _fmt(k, v) for k, v in active.items()}
    if style.slash_regulations:
        for k in out_active:
            if k.startswith("regulations_") and active[k] == 0:
                out_active[k] = "/"
    keep = {"new_received", "carried_over", "total_processed", "carried_forward"}
    out_apps = {}
    for row, cols in apps.items():
        out_apps[row] = {}
        for col in APPLICATION_COLS:
            v = cols[col]
            blank = style.blank_zeros and v == 0 and not (col == "total" and row in keep)
            out_apps[row][col] = "" if blank else str(v)
    out_review = {}
    for group, cols in review.items():
        out_review[group] = {
            col: ("" if style.blank_zeros and cols[col] == 0 and col != "total" else str(cols[col]))
            for col in REVIEW_COLS
        }
    return out_active, out_apps, out_review


def truth_record(report: Report) -> dict:
    """The canonical record the parser should produce for this document (tables, not the cells list)."""

    def read(table, row, col, raw):
        # Plain digits are most cells; read_cell's normalising is needed only for the others.
        return int(raw) if raw.isascii() and raw.isdigit() else read_cell(raw)[1]

    active = {k: read("active_disclosure", k, "value", raw) for k, raw in report.active.items()}
    apps = {r: {c: read("applications", r, c, raw) for c, raw in cols.items()}
            for r, cols in report.applications.items()}
    review = {g: {c: read("review_litigation", g, c, raw) for c, raw in cols.items()}
              for g, cols in report.review.items()}
    return {
        "schema": "gov-open-report/1",
        "source": {"path": report.path, "format": report.style.format},
        "agency": report.agency.name,
        "year": report.year,
        "template": report.template,
        "published": report.published,
        "scope": report.scope,
        "active_disclosure": active,
        "applications": apps,
        "review_litigation": review,
        "sections": dict(report.sections),
    }
