"""Reading one table cell's text into a kind and a value."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

NOT_APPLICABLE = {"/", "／", "—", "——", "-", "--", "－", "无", "不适用", "\\", "×", "x", "X", "…"}
_LEADING_NUMBER = re.compile(r"^[+\-−－]?\d+(?:[.,]\d+)*(?:\.\d+)?")
# A number in exponent form ("3.4e1", "1E+05"): no report prints one, so it comes from a
# converter or a spreadsheet, and reading its mantissa alone (3.4) would be a wrong figure.
EXPONENT = re.compile(r"^[+\-−－]?\d+(?:\.\d+)?[eE][+\-−－]?\d+$")
# DOUBLE (the warehouse's value type) holds every integer up to 2^53 exactly; a count beyond it
# would be stored rounded, and no report has one: such a cell is refused, never rounded.
MAX_EXACT = 2**53
# Characters that print as nothing: C0/C1 controls (NUL …), zero-width and direction marks, the
# byte-order mark. They must not make one agency name two.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


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
    if EXPONENT.match(s):
        return "text", None  # see unreadable_number: the Sink says why
    num = m.group(0).replace(",", "")
    try:
        value: int | float = int(num) if re.fullmatch(r"[+-]?\d+", num) else float(num)
    except ValueError:
        return "text", None
    if len(num) > 15 and _past_exact(num):  # 2^53 has 16 digits: shorter numbers are exact
        return "text", None
    return ("number" if m.end() == len(s) else "text"), value


def unreadable_number(raw: str | None) -> str | None:
    """Why a cell that looks like a number gives no value (Chinese, for a warning), else None."""
    s = normalise(raw or "").replace("−", "-").replace("－", "-")
    if EXPONENT.match(s):
        return f"“{raw}”是科学计数法写法，报告不会这样印数字，未按数字读取"
    m = _LEADING_NUMBER.match(s)
    if m:
        if _past_exact(m.group(0).replace(",", "")):
            return f"“{raw}”超过可精确保存的最大整数 2^53，未按数字读取"
    return None


def _past_exact(num: str) -> bool:
    """True when the digits (an integer or decimal text) exceed 2^53 in magnitude; compared
    exactly, as float() would round 2^53 + 1 down to 2^53."""
    try:
        return abs(Decimal(num)) > MAX_EXACT
    except InvalidOperation:
        return False


def invisible_chars(text: str | None) -> list[str]:
    """The code points of the invisible characters in ``text`` (U+0000 …), in order, once each."""
    return list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in _INVISIBLE.findall(text or "")))


def strip_invisible(text: str | None) -> str | None:
    """``text`` without controls, zero-width characters and byte-order marks."""
    return text if text is None else _INVISIBLE.sub("", text)
