"""What a PDF report states about itself: its title heading and its publication date."""

from __future__ import annotations

import datetime as dt
import re

from .pdf_text import Line

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(
    r"^[（(]?\s*(?P<y>\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*[)）]?$"
)


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4:  # a year written digit by digit: 二〇二五
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if s.endswith("十"):
        return 10 * _CN_DIGITS[s[0]]
    if "十" in s:
        a, b = s.split("十")
        return 10 * _CN_DIGITS[a] + _CN_DIGITS[b]
    return _CN_DIGITS[s]


def parse_date(text: str) -> str | None:
    """ISO date when the whole line is one date (2025年1月24日, 二〇二五年一月二十四日)."""
    m = _DATE.match(re.sub(r"\s+", "", text))
    if not m:
        return None
    try:
        day = dt.date(_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"]))
    except (KeyError, ValueError):
        return None
    if not 2000 <= day.year <= 2100:
        return None
    return day.isoformat()


def find_title(first_page: list[Line]) -> tuple[str | None, int]:
    """The first heading: the top lines set in the page's largest type (or the first line).

    Returns the title and how many lines it took.
    """
    lines = [l for l in first_page if not l.vertical and l.text.strip()][:8]
    if not lines:
        return None, 0
    biggest = max(l.size for l in lines)
    body = sorted(l.size for l in first_page)[len(first_page) // 2]
    if biggest <= body + 0.5:
        taken = lines[:1]
    else:
        start = next(k for k, l in enumerate(lines) if l.size >= biggest - 0.5)
        taken = []
        for l in lines[start:]:
            if l.size < biggest - 2.0 or len(taken) >= 3:
                break
            taken.append(l)
    title = "".join(l.text for l in taken)
    title = re.sub(r"\s+", "", title) if re.search(r"[\u4e00-\u9fff]", title) else title.strip()
    return (title or None), len(taken)


def find_published(lines: list[Line], title_lines: int) -> str | None:
    """A date standing alone right under the title, else among the closing lines (after the
    agency's name). Dates inside sentences are statistics periods, not publication dates."""
    for line in lines[title_lines : title_lines + 3]:
        found = parse_date(line.text)
        if found:
            return found
    for line in reversed(lines[-4:]):
        found = parse_date(line.text)
        if found:
            return found
    return None
