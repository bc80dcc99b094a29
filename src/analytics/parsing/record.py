"""Collecting the record's ``cells`` and ``warnings`` while the tables are read."""

from __future__ import annotations

from ..report_record import Cell, ReportWarning
from .fit import Entry
from .cells import unreadable_number
from .tokens import read_cell

# How a warning names a table: the numbering of the template.
_TABLE = {"active_disclosure": "表2", "applications": "表3", "review_litigation": "表4", "processing_fees": "信息处理费"}


class Sink:
    """Collects cells and warnings while the tables are read; the ``Report`` takes them as tuples."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.warnings: list[ReportWarning] = []

    def warn(self, code: str, message: str, where: str = "") -> None:
        self.warnings.append(ReportWarning(code, message, where))

    def cell(self, table: str, row: str, col: str, entry: Entry) -> int | float | None:
        kind, value = read_cell(entry.raw)
        if value is None and kind == "text":
            why = unreadable_number(entry.raw)
            if why:
                place = row if col in (None, "value") else f"{row}/{col}"
                self.warn("number_unreadable", f"{_TABLE.get(table, table)} {place}：{why}，按空缺处理", entry.where)
        self.cells.append(Cell(table, row, col, entry.raw, kind, value, entry.where))
        return value


def mark_confidence(cells: list[Cell], rows, sink: Sink, threshold: float) -> list[Cell]:
    """Give each cell read from recognised text (OCR) its confidence, and name every cell below
    ``threshold`` in a warning: it is kept as read, never silently trusted.

    A record cell knows its raw text and its row's source position; the recognised cells of that
    position with that text (or holding it, when one cell gave several values) lend theirs, the
    lowest when several do."""
    by_where: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        for c in row.cells:
            if c.confidence is not None:
                by_where.setdefault(row.where, []).append((c.text.strip(), c.confidence))
    if not by_where:
        return cells
    out = []
    for cell in cells:
        known = by_where.get(cell.where or "", ())
        raw = (cell.raw or "").strip()
        same = [conf for text, conf in known if text == raw] or [conf for text, conf in known if raw and raw in text]
        if not same:
            out.append(cell)
            continue
        conf = round(min(same), 2)
        out.append(cell._replace(confidence=conf))
        if conf < threshold:
            col = "" if cell.col in (None, "value") else f".{cell.col}"
            sink.warn("ocr_low_confidence",
                      f"{cell.table}.{cell.row}{col} 的文字识别结果“{raw}”置信度 {conf:.2f}，须人工核对", cell.where or "")
    return out
