"""Reading one table cell's text into a kind and a value."""

from __future__ import annotations

import re
import unicodedata

NOT_APPLICABLE = {"/", "／", "—", "——", "-", "--", "－", "无", "不适用", "\\", "×", "x", "X", "…"}
_LEADING_NUMBER = re.compile(r"^[+\-−－]?\d+(?:[.,]\d+)*(?:\.\d+)?")


def normalise(text: str) -> str:
    """NFKC with every kind of white space removed: the form labels and cells are compared in."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\u200b\u3000\xa0]+", "", text)


def read_cell(raw: str) -> tuple[str, int | float | None]:
    """Return ``(kind, value)`` for a cell's raw text.

    kind is ``number`` (the whole cell is a number), ``blank``, ``not_applicable`` (``/``, ``—``,
    ``无`` …) or ``text``; a text cell that starts with a number ("22（其中修订16件）", "251000元")
    still yields that number as its value.
    """
    s = normalise(raw)
    if not s:
        return "blank", None
    if s in NOT_APPLICABLE:
        return "not_applicable", None
    s = s.replace("−", "-").replace("－", "-")
    m = _LEADING_NUMBER.match(s)
    if not m:
        return "text", None
    num = m.group(0).replace(",", "")
    try:
        value: int | float = int(num) if re.fullmatch(r"[+-]?\d+", num) else float(num)
    except ValueError:
        return "text", None
    return ("number" if m.end() == len(s) else "text"), value
