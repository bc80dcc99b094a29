"""Collecting the record's ``cells`` and ``warnings`` while the tables are read."""

from __future__ import annotations

from ..report_record import Cell, ReportWarning
from .fit import Entry
from .cells import unreadable_number
from .tokens import read_cell

# How a warning names a table: the numbering of the template.
_TABLE = {"active_disclosure": "表2", "applications": "表3", "review_litigation": "表4"}


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
