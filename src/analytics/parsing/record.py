"""Collecting the record's ``cells`` and ``warnings`` while the tables are read."""

from __future__ import annotations

from ..report_record import Cell, ReportWarning
from .fit import Entry
from .tokens import read_cell


class Sink:
    """Collects cells and warnings while the tables are read; the ``Report`` takes them as tuples."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.warnings: list[ReportWarning] = []

    def warn(self, code: str, message: str, where: str = "") -> None:
        self.warnings.append(ReportWarning(code, message, where))

    def cell(self, table: str, row: str, col: str, entry: Entry) -> int | float | None:
        kind, value = read_cell(entry.raw)
        self.cells.append(Cell(table, row, col, entry.raw, kind, value, entry.where))
        return value
