"""Building the record: table dicts, the ``cells`` list and ``warnings``."""

from __future__ import annotations

from .tokens import read_cell
from .fit import Entry

SCHEMA = "gov-open-report/1"


class Sink:
    """Collects cells and warnings while the tables are read."""

    def __init__(self) -> None:
        self.cells: list[dict] = []
        self.warnings: list[dict] = []

    def warn(self, code: str, message: str, where: str = "") -> None:
        self.warnings.append({"code": code, "message": message, "where": where})

    def cell(self, table: str, row: str, col: str, entry: Entry) -> int | float | None:
        kind, value = read_cell(entry.raw)
        self.cells.append({"table": table, "row": row, "col": col, "raw": entry.raw, "kind": kind,
                           "value": value, "where": entry.where})
        return value
