"""The document as one normalised string, so labels can be found across cells, lines and pages.

Rows are joined with ``\\n`` and cells with ``\\x1f``; every cell is NFKC-normalised with quotes
dropped and white space collapsed. ``row_at`` maps an offset back to the source row. Page
footers ("-4-", "— 5 —", "第 3 页") are dropped here because inside a table they look like values.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .document import Document, Row
from .labels import BLANK, CELL, ROW

_QUOTES = dict.fromkeys(map(ord, "“”\"'‘’「」『』"), None)
_SPACE = re.compile(r"[\s\u200b\u3000\xa0]+")
_FOOTER = re.compile(r"^(?:[-—–_~]{1,3} ?\d{1,3} ?[-—–_~]{1,3}|第 ?\d{1,3} ?页(?: ?[,/]? ?共 ?\d{1,3} ?页)?|\d{1,3} ?/ ?\d{1,3})$")


# Template labels and small numbers recur in every report, so most cells are seen before.
@lru_cache(maxsize=16384)
def normalise_cell(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    text = text.replace(CELL, " ").replace(ROW, " ")
    return _SPACE.sub(" ", text).strip()


@dataclass
class Stream:
    text: str
    starts: list[int]  # offset of each kept row
    rows: list[Row]

    def row_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def row_end(self, index: int) -> int:
        return self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)


def build_stream(doc: Document) -> Stream:
    parts: list[str] = []
    starts: list[int] = []
    rows: list[Row] = []
    offset = 0
    for row in doc.rows:
        cells = [normalise_cell(c.text) for c in row.cells]
        joined = CELL.join(cells)
        if not joined.strip(CELL + " "):
            # an empty line goes; a lone blank table cell ("|" line) is a blank value, and a
            # table row of blank cells is figures published blank
            if not row.in_table:
                continue
        if len(cells) == 1 and _FOOTER.match(cells[0]):
            continue
        if not joined.strip(" "):
            joined = BLANK  # a bare "|" line: one blank cell
        starts.append(offset)
        rows.append(row)
        parts.append(joined)
        offset += len(joined) + 1
    return Stream(ROW.join(parts), starts, rows)
