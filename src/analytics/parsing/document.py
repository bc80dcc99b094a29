"""The intermediate form every format backend produces and the assembler reads.

A backend only turns bytes into text and grid rows in reading order; it knows nothing about
table 2/3/4 or field keys. All template knowledge lives in ``assemble``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from .cells import strip_invisible


@dataclass(frozen=True)
class Cell:
    """One grid cell, or one run of text, as it appears in the source."""

    text: str  # raw text; "" for a blank cell (kept, because blanks position the other cells)
    where: str  # human pointer back into the source: "page 3", "line 120", "table 2 r5 c3"
    confidence: float | None = None  # OCR's confidence (0–1) in the text; None when it was not recognised


@dataclass
class Row:
    """A row of cells in reading order. A paragraph of prose is a row with one cell."""

    cells: list[Cell]
    where: str
    in_table: bool = False  # True when the source marked this as a table row (HTML/DOCX/PDF grid)
    table_index: int | None = None  # which source table the row belongs to, when known

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Document:
    """What a backend returns: rows in reading order plus what the page itself states."""

    format: str  # html, pdf, docx, doc, text, markdown
    rows: list[Row]
    title: str | None = None  # <title>, a 标题: header line, the PDF's first heading …
    published: str | None = None  # ISO date when the page states it in its metadata
    meta: dict = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The document as plain text, one row per line, cells separated by tabs."""
        return "\n".join("\t".join(r.texts) for r in self.rows)


def text_fingerprint(doc: Document) -> str:
    """The hash of what the document says, blind to how the file happens to be written.

    NFKC (full-width spaces and digits), no white space at all (line endings, indentation,
    a line wrapped elsewhere), no invisible characters (a byte-order mark, zero-width spaces).
    The title and the stated publication date take part: a copy that differs there is another
    document. The file name does not: it is not the document's text.
    """
    parts = [doc.title or "", doc.published or "", doc.text]
    text = strip_invisible(unicodedata.normalize("NFKC", "\u241e".join(parts)))
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()
