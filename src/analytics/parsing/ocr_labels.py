"""Row labels and header words of a recognised (OCR) table, mended where one character was
misread.

The label lexicon matches the printed wording exactly, characters apart; OCR now and then reads one
character of a long label as a look-alike (属于 as 必于, 勾稽 as 色稽). The whole row, figures and
all, would then be a local row and go unread. A table cell whose Chinese characters differ from a
known label or header word of the same length in very few places, and from no other as few, is
read as that word; a warning names each mended cell so a reader can check it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .document import Cell, Document, Row
from .labels import ACTIVE_LABELS, ACTIVE_WORDS, APPLICATION_LABELS, APPLICATION_WORDS, label_regex
from .stream import normalise_cell

_HAN = re.compile(r"[\u4e00-\u9fff]")
# What may come before a label: its enumerator (5. (三) 二、), kept as read.
_ENUM = re.compile(r"^\s*(?:[(（〈《]?[一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}\s*[.、．]?)?")
MIN_HAN = 5  # a shorter word has near neighbours (行政处罚, 行政强制): one misread makes another


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Chinese characters of each known wording -> that wording."""
    words = [v for lab in APPLICATION_LABELS + ACTIVE_LABELS for v in lab.variants]
    words += list(APPLICATION_WORDS) + list(ACTIVE_WORDS)
    out: dict[str, str] = {}
    for w in words:
        han = "".join(_HAN.findall(w))
        if len(han) >= MIN_HAN:
            out.setdefault(han, w)
    return out


def _allowed(n: int) -> int:
    """Misread characters tolerated in a word of ``n`` characters: one in five to eleven, one more
    for every ten beyond."""
    return 1 + max(0, (n - 2) // 10)


def nearest_word(text: str) -> str | None:
    """The known wording a cell's text is a misreading of, with the cell's enumerator, or None."""
    han = "".join(_HAN.findall(text))
    vocab = _vocabulary()
    if len(han) < MIN_HAN or han in vocab:
        return None
    best: list[str] = []
    best_d = _allowed(len(han))
    for word_han, word in vocab.items():
        if len(word_han) != len(han):
            continue
        d = sum(1 for a, b in zip(han, word_han) if a != b)
        if d > best_d:
            continue
        if d < best_d or not best:
            best, best_d = [word], d
        elif d == best_d:
            best.append(word)
    if len(best) != 1:
        return None  # nothing near enough, or two words equally near: no guess
    enum = _ENUM.match(text)
    return (enum.group(0).strip() if enum else "") + best[0]


def mend_labels(doc: Document) -> tuple[Document, list[tuple[str, str, str]]]:
    """The document with misread table labels mended, and (read, mended, where) of each."""
    apps, active = label_regex("applications"), label_regex("active")
    notes: list[tuple[str, str, str]] = []
    rows: list[Row] = []
    for row in doc.rows:
        if not row.in_table:
            rows.append(row)
            continue
        cells: list[Cell] = []
        for cell in row.cells:
            text = normalise_cell(cell.text)
            mended = None
            if not apps.search(text) and not active.search(text):
                mended = nearest_word(text)
            if mended:
                notes.append((cell.text, mended, cell.where))
                cell = replace(cell, text=mended)
            cells.append(cell)
        rows.append(replace(row, cells=cells))
    if not notes:
        return doc, notes
    return replace(doc, rows=rows), notes
