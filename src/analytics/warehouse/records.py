"""From a ``Report`` to the rows of ``reports``, ``cells`` and ``agencies``.

The report's tables are the values; its ``cells`` (when the parser gave them) add the raw text,
kind and source position of each cell. Records built in code or read from gold files have no
cells and still load (``as_report`` reads such a dict): their cells are derived from the tables.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from collections.abc import Mapping
from datetime import date

import pyarrow as pa

from .. import PARSER_VERSION
from .. import fields as F
from ..errors import ReportError
from ..fields import ACTIVE_DISCLOSURE, APPLICATIONS, PROCESSING_FEES, REVIEW_LITIGATION
from ..parsing.cells import MAX_EXACT, invisible_chars, normalise, strip_invisible
from ..report_record import Report, ReportWarning, as_report
from . import places
from .textsig import signature

INFO_KEYS = ("level", "kind", "province", "city", "county", "parent", "division_code")
CELL_COLUMNS = ["report_id", "tbl", "row_key", "col_key", "value", "kind", "raw", "src"]
# A report's cells without report_id (given by the loading process).
CELL_SCHEMA = pa.schema([(name, pa.float64() if name == "value" else pa.string()) for name in CELL_COLUMNS[1:]])


class BadRecord(ReportError):
    reason = "bad_record"


def agency_id(name: str) -> str:
    return normalise(strip_invisible(name))


def exact(value) -> bool:
    """True for a number DOUBLE (the cells' value type) stores as it is: finite, and not an
    integer beyond 2^53, which would come back as a neighbouring integer."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= MAX_EXACT
    return abs(value) <= MAX_EXACT


_TABLE_NAME = {ACTIVE_DISCLOSURE: "表2", APPLICATIONS: "表3", REVIEW_LITIGATION: "表4", PROCESSING_FEES: "信息处理费"}


def guarded(report: Report) -> Report:
    """The report as the warehouse can hold it, every change named in its warnings.

    Invisible characters (NUL, zero-width spaces, a byte-order mark) leave the agency name, so
    that they cannot make a second agency of the same one; a value no DOUBLE holds exactly (a
    count beyond 2^53, an infinity) is stored blank with its text kept (``cell_rows``), never
    rounded. Records built in code or read from JSON get here without the parser's checks.
    """
    notes: list[ReportWarning] = []
    changes: dict = {}
    codes = invisible_chars(report.agency)
    if codes:
        clean = strip_invisible(report.agency)
        changes["agency"] = clean
        notes.append(ReportWarning("agency_cleaned", f"机关名称中有不可见字符（{'、'.join(codes)}），已删去，按“{clean}”入库", ""))
    for tbl, row, col, value in _table_values(report):
        if value is not None and not isinstance(value, bool) and isinstance(value, (int, float)) and not exact(value):
            place = row if col == "value" else f"{row}/{col}"
            notes.append(ReportWarning("number_unreadable",
                                       f"{_TABLE_NAME[tbl]} {place}：{value} 超出可精确保存的数值范围（2^53），未按数字入库，按空缺处理", ""))
    if notes:
        changes["warnings"] = tuple(report.warnings) + tuple(notes)
    return replace(report, **changes) if changes else report


def _table_values(report: Report):
    for row, cols in report.applications.items():
        if isinstance(cols, Mapping):
            for col, value in cols.items():
                yield APPLICATIONS, row, col, value
    for group, cols in report.review_litigation.items():
        if isinstance(cols, Mapping):
            for col, value in cols.items():
                yield REVIEW_LITIGATION, group, col, value
    for key, value in report.active_disclosure.items():
        yield ACTIVE_DISCLOSURE, key, "value", value
    for key, value in report.processing_fees.items():
        yield PROCESSING_FEES, key, "value", value


def record_sha(report: Report) -> str:
    """The source file's hash, or for a record built in code a hash of its content."""
    if report.source.sha256:
        return report.source.sha256
    body = report.content()
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _published(value) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def validate(report: Report) -> tuple[str, int]:
    agency = (report.agency or "").strip()
    if not agency:
        raise BadRecord("报告中找不到机关名称（可在清单中给出）")
    try:
        year = int(report.year)
    except (TypeError, ValueError):
        raise BadRecord("报告中找不到年度（可在清单中给出）") from None
    if not 2007 <= year <= date.today().year + 1:
        raise BadRecord(f"报告年度 {year} 不合理")
    return agency, year


def cell_rows(report: Report) -> list[tuple]:
    """One tuple per table cell (report_id left as None), values from the report's tables.

    The tables are the values; the parser's ``cells`` add the raw text, kind and source position
    of each. The first cell the parser gave for a position wins."""
    provenance: dict = {}
    for c in report.cells:
        key = (c.table, c.row, c.col or "value")
        if key not in provenance:
            provenance[key] = c

    out: list[tuple] = []
    append = out.append

    def add(tbl, row, col, value):
        num = float(value) if exact(value) else None
        # A number DOUBLE cannot hold exactly is kept as text (guarded() has warned), not blank.
        refused = num is None and value is not None and not isinstance(value, bool) and isinstance(value, (int, float))
        p = provenance.get((tbl, row, col))
        if p is not None:
            kind = "text" if refused else p.kind or ("blank" if num is None else "number")
            if num is None and kind == "number":
                kind = "blank"
            append((None, tbl, row, col, num, kind, p.raw, p.where))
        else:
            append((None, tbl, row, col, num, "text" if refused else "blank" if num is None else "number",
                    None if value is None else str(value), None))

    for row, cols in report.applications.items():
        if row in _APP_ROWS and isinstance(cols, Mapping):
            for col, value in cols.items():
                if col in _APP_COLS:
                    add(APPLICATIONS, row, col, value)
    for group, cols in report.review_litigation.items():
        if group in _REVIEW_GROUPS and isinstance(cols, Mapping):
            for col, value in cols.items():
                if col in _REVIEW_COLS:
                    add(REVIEW_LITIGATION, group, col, value)
    for key, value in report.active_disclosure.items():
        if key in _ACTIVE:
            add(ACTIVE_DISCLOSURE, key, "value", value)
    for key, value in report.processing_fees.items():
        if key in _FEES:
            add(PROCESSING_FEES, key, "value", value)
    return out


_APP_ROWS = set(F.APPLICATION_ROWS)
_APP_COLS = set(F.APPLICATION_COLS)
_REVIEW_GROUPS = set(F.REVIEW_GROUPS)
_REVIEW_COLS = set(F.REVIEW_COLS)
_ACTIVE = set(F.ACTIVE_KEYS)
_FEES = set(F.FEE_KEYS)


def report_row(report: Report, *, dataset: str, parser_version: str) -> dict:
    agency, year = validate(report)
    source = report.source
    template = report.template
    return {
        "agency": agency,
        "agency_id": agency_id(agency),
        "year": year,
        "template": str(template) if template else None,
        "scope": report.scope,
        "published": _published(report.published),
        "source_path": source.path,
        "source_sha256": record_sha(report),
        "source_format": source.format,
        "text_sha256": source.text_sha256,
        "parser_version": parser_version,
        "dataset": dataset,
        "n_warnings": len(report.warnings),
        "warnings": json.dumps([w._asdict() for w in report.warnings], ensure_ascii=False),
        "sections": json.dumps(report.sections, ensure_ascii=False) if report.sections is not None else None,
    }


def agency_row(name: str, dataset: str, given: dict | None, source: str) -> dict:
    """An agencies row: what a manifest or caller gave, the rest derived from the name."""
    derived = places.describe(name)
    row = {"agency_id": agency_id(name), "name": name, "dataset": dataset, "parent_id": None, **derived,
           "info_source": "name"}
    given = {k: v for k, v in (given or {}).items() if k in INFO_KEYS and v not in (None, "")}
    if given:
        row["info_source"] = source
        for key in ("level", "kind", "province", "city", "county", "division_code"):
            if key in given:
                row[key] = given[key]
        if any(k in given for k in ("province", "city", "county")) and "division_code" not in given:
            code, parent_code, level = places.code_for(row["province"], row["city"], row["county"])
            row["division_code"] = code
            row["parent_code"] = parent_code if row["kind"] == "government" else code
            row["level"] = given.get("level") or (level if row["kind"] != "township" else "township")
        if given.get("parent"):
            row["parent_id"] = agency_id(given["parent"])
            row["parent_code"] = None
    return row


def cell_batch(cells: list[tuple]) -> pa.RecordBatch:
    """Cell tuples without report_id as one Arrow batch. Built in the parse worker, it reaches
    the loading process as a few buffers instead of some two hundred tuples to unpickle and
    convert there, in the one process every report passes through."""
    columns = list(zip(*cells)) if cells else [()] * len(CELL_SCHEMA)
    return pa.RecordBatch.from_arrays([pa.array(c, t) for c, t in zip(columns, CELL_SCHEMA.types)],
                                      schema=CELL_SCHEMA)


@dataclass
class Prepared:
    """One record reduced to the rows it adds, without ids: everything that needs no database.

    Built where the record was parsed (a worker process sends back only these compact rows)."""

    report: dict  # reports row, less report_id / is_current / batch_id / loaded_at
    cells: pa.RecordBatch  # CELL_SCHEMA: tbl, row_key, col_key, value, kind, raw, src
    sig: tuple[list[int], list[int]] | None
    agency: dict  # agencies row


def prepare(report: Report | Mapping, *, dataset: str = "real", given: dict | None = None,
            info_source: str = "given") -> Prepared:
    """The rows of one report (or record dict); raises ``BadRecord`` when it names no agency or year."""
    report = guarded(as_report(report))
    row = report_row(report, dataset=dataset, parser_version=PARSER_VERSION)
    cells = cell_batch([c[1:] for c in cell_rows(report)])
    row["n_cells"] = cells.num_rows
    return Prepared(row, cells, signature(report.sections), agency_row(row["agency"], dataset, given, info_source))
