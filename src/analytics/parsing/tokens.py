"""Cutting the text after a row label into value tokens: numbers, blanks, "/" and noted numbers.

Text that is not a value (a wrapped piece of a label, a group label such as "(四)无法提供",
a converter's column name "数据3") is dropped; text that looks like the label of a row the
template does not have stops the reading, so a local row's numbers never reach a real row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cells import EXPONENT, normalise
from .cells import read_cell as _read_cell
from .labels import BLANK, CELL, ROW, is_unknown_label

# The same few raw texts ("0", "", "/") recur thousands of times per report.
read_cell = lru_cache(maxsize=8192)(_read_cell)

_NUMBER_START = re.compile(r"[+\-]?\d")
_LEADING = re.compile(r"^[+\-]?\d+(?:,\d{3})*(?:\.\d+)?")
# What may follow a number inside one cell: a unit and/or a note in brackets ("(其中修订16件)").
_NOTE = re.compile(r"^(?:万元|元|件|个|项|条|次|人|家|%)?(?:\((?![一二三四五六七八九十]+\)).*\))?$")
_COLUMN_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fff]{1,6}\d{1,2}$")
# A sub-row number and its words ("3. 要求提供公开出板物"): the label of a row not recognised
# (mistyped or local), never a figure 3.
_NUMBERED_LABEL = re.compile(r"^\d{1,2}\s*[.．、]\s*[\u4e00-\u9fff“\"]")
# ... unless it is a numbered section heading caught at a table's edge ("4.政府信息公开行政复议…").
# A sub-row number's separator and words right after a figure ("…0002.其他法律…").
_GLUED_ENUMERATOR = re.compile(r"^[.．、]\s*[\u4e00-\u9fff“\"]")
_SECTION_HEADING = re.compile(r"^\d{1,2}\s*[.．、]\s*(?:收到和处理|政府信息公开|主动公开|行政复议|存在的主要问题|其他需要报告)")


@dataclass
class Token:
    raw: str
    where: str
    last_field: bool = False  # the final field of a flattened table row


@dataclass
class Cut:
    tokens: list[Token]
    unknown: str | None = None  # text of a local row label that stopped the reading


def cut_segment(text: str, where: str | list[str], table: str, skip_first_blank: bool = True,
                last_field_possible: bool = False) -> Cut:
    """Tokens of a stretch of the stream (cells separated by CELL, rows by ROW)."""
    out: list[Token] = []
    lines = text.split(ROW)
    wheres = where if isinstance(where, list) else [where] * len(lines)
    for li, line in enumerate(lines):
        where = wheres[min(li, len(wheres) - 1)]
        fields = line.split(CELL)
        for fi, field in enumerate(fields):
            if field.strip(" ") == BLANK:
                out.append(Token("", where))
                continue
            field = field.strip()
            if _SECTION_HEADING.match(field):
                continue
            if _NUMBERED_LABEL.match(field):
                return Cut(out, field)
            if not field:
                if (fi == 0 and skip_first_blank and li == 0) or len(fields) == 1:
                    continue
                out.append(Token("", where, last_field_possible and fi == len(fields) - 1 and li == len(lines) - 1))
                continue
            for word in field.split(" "):
                unknown = _cut_word(word, where, table, out)
                if unknown:
                    return Cut(out, unknown)
    return Cut(out)


def _cut_word(word: str, where: str, table: str, out: list[Token]) -> str | None:
    raws, unknown = _word_pieces(word, table)
    for raw in raws:
        out.append(Token(raw, where))
    return unknown


@lru_cache(maxsize=16384)
def _word_pieces(word: str, table: str) -> tuple[tuple[str, ...], str | None]:
    """The value texts one space-free word holds, and the unknown label that ends the reading.

    Cached: the same words (numbers, label fragments) recur across rows and reports."""
    pieces: list[str] = []
    while word:
        kind, _ = read_cell(word)
        if kind in ("number", "not_applicable"):
            pieces.append(word)
            return tuple(pieces), None
        if EXPONENT.match(normalise(word)):
            # One cell, kept whole so that its reading is refused with a warning: cut at the
            # "e", it would give a figure (3.4 of "3.4e1") and lose the rest without a word.
            pieces.append(word)
            return tuple(pieces), None
        if _COLUMN_NAME.match(word):
            return tuple(pieces), None
        m = _NUMBER_START.search(word)
        if not m:
            return tuple(pieces), (word if is_unknown_label(word, table) else None)
        if m.start() > 0:
            prefix = word[: m.start()]
            if is_unknown_label(prefix, table):
                return tuple(pieces), prefix
            word = word[m.start():]
            continue
        lead = _LEADING.match(word)
        rest = word[lead.end():]
        if _GLUED_ENUMERATOR.match(rest) and len(lead.group(0).lstrip("+-")) > 1:
            # "00000002.其他法律和…": the figures of this row glued to the number of the next
            # row's label, which was not recognised: the last digit is that number, and the
            # reading stops there so this row never takes the next row's figures.
            pieces.append(word[: lead.end() - 1])
            return tuple(pieces), word[lead.end() - 1:]
        if _NOTE.match(rest):
            pieces.append(word)
            return tuple(pieces), None
        pieces.append(word[: lead.end()])
        word = rest
    return tuple(pieces), None
