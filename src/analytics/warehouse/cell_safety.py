"""Spreadsheet-safe text cells for CSV and Excel output.

A spreadsheet program evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, after a leading tab or carriage return) as a formula, so a document naming its
agency ``=HYPERLINK("http://…","点")`` would become a live link, or worse, in every analyst's
workbook. Following the OWASP advice on CSV injection, such text gets a leading apostrophe: the
program then shows it as text. Text that is a plain number (``-3``, ``+1.5``) stays as it is:
it reads as that number, never as a formula, and numeric columns are not touched at all.

``cell`` is the rule for one value; ``arrow_column`` and ``frame`` apply the same rule to a
whole Arrow column or pandas frame (the tests check that the three agree).

A workbook needs no apostrophe: ``xlsx_cells`` writes text as text cells (openpyxl would otherwise
make any string starting with ``=`` a formula) with Excel's quote prefix on risky text, and splits
text over Excel's 32,767-character cell limit into continuation columns instead of cutting it.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

PREFIX = "'"
XLSX_MAX_CHARS = 32_767  # Excel's limit for one cell, counted in UTF-16 code units
PART = "_part"  # continuation columns: sections, sections_part2, sections_part3 ...
# The same two patterns serve Python's re and Arrow's RE2, hence [0-9] rather than \d.
_RISKY = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_RISKY_RE = re.compile(_RISKY)
_NUMBER_RE = re.compile(_NUMBER)


def risky(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula."""
    return bool(_RISKY_RE.match(text)) and not _NUMBER_RE.fullmatch(text)


def cell(value):
    """``value`` ready for a CSV cell: risky text gets the apostrophe, anything else is unchanged."""
    if isinstance(value, str) and risky(value):
        return PREFIX + value
    return value


def arrow_column(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``cell`` over a string column (other types are returned as they are)."""
    kind = arr.type
    if pa.types.is_dictionary(kind):
        if isinstance(arr, pa.ChunkedArray):
            return pa.chunked_array([arrow_column(c) for c in arr.chunks], type=kind)
        return pa.DictionaryArray.from_arrays(arr.indices, arrow_column(arr.dictionary))
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        return arr
    mask = pc.and_kleene(pc.match_substring_regex(arr, _RISKY),
                         pc.invert(pc.match_substring_regex(arr, _NUMBER)))
    if not pc.any(mask).as_py():
        return arr
    return pc.if_else(mask, pc.utf8_replace_slice(arr, start=0, stop=0, replacement=PREFIX), arr)


def arrow_schema(schema: pa.Schema) -> pa.Schema:
    """The schema with safe column names (the CSV header row)."""
    return pa.schema([f.with_name(cell(f.name)) for f in schema])


def arrow_batch(batch: pa.RecordBatch, schema: pa.Schema | None = None) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([arrow_column(c) for c in batch.columns],
                                      schema=schema or arrow_schema(batch.schema))


def frame(df):
    """A pandas frame with ``cell`` applied to every text value and column name (a copy)."""
    import pandas as pd

    out = df.copy()
    for i, col in enumerate(out.columns):
        series = out.iloc[:, i]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out.isetitem(i, series.map(cell))
    out.columns = [cell(c) for c in out.columns]
    return out


# Excel cannot store these in a cell; each becomes its visible symbol (U+2400 + code) instead.
_XLSX_CONTROLS = {c: 0x2400 + c for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}


def _units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def xlsx_pieces(text: str, limit: int = XLSX_MAX_CHARS) -> list[str]:
    """``text`` in consecutive pieces that each fit one Excel cell; joined they give ``text``."""
    if len(text) * 2 <= limit or (len(text) <= limit and _units(text) <= limit):
        return [text]
    pieces, i = [], 0
    while i < len(text):
        end = min(i + limit, len(text))
        units = _units(text[i:end])
        while units > limit:  # characters beyond U+FFFF count twice
            end -= 1
            units -= 2 if ord(text[end]) > 0xFFFF else 1
        pieces.append(text[i:end])
        i = end
    return pieces


def xlsx_parts(column: pa.ChunkedArray, limit: int = XLSX_MAX_CHARS) -> int:
    """How many cells the longest text of ``column`` needs (1 for any other type)."""
    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        return 1
    lengths = pc.utf8_length(column)
    longest = pc.max(lengths).as_py() or 0
    if longest * 2 <= limit:
        return 1
    long = column.filter(pc.greater(lengths, limit // 2)).to_pylist()
    return max(len(xlsx_pieces(v, limit)) for v in long)


def xlsx_text(ws, text: str):
    """A cell for ``ws.append`` holding ``text`` that Excel shows, and keeps on editing, as text."""
    from openpyxl.cell import WriteOnlyCell

    text = text.translate(_XLSX_CONTROLS)
    c = WriteOnlyCell(ws, value=text)
    c.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error unless told otherwise
    if risky(text):
        c.quotePrefix = True
    return c


def xlsx_cells(ws, value, parts: int = 1, limit: int = XLSX_MAX_CHARS) -> list:
    """The ``parts`` cells of one value: text split over continuation cells, anything else as is."""
    if isinstance(value, str):
        pieces = xlsx_pieces(value, limit) if parts > 1 else [value]
        return [xlsx_text(ws, p) for p in pieces] + [None] * (parts - len(pieces))
    if isinstance(value, float) and value != value:
        value = None
    elif getattr(value, "tzinfo", None) is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones: the warehouse's wall time
    return [value] + [None] * (parts - 1)
