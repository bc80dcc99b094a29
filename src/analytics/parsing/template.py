"""Which template a report follows, from its own table 2 header words (never from the year)."""

from __future__ import annotations

from .tables import fuzzy

WORDS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
WORDS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购总金额", "采购项目数量")


def decide_template(text: str, region: tuple[int, int] | None) -> str | None:
    """"2019", "2021" or None when table 2 has none of the header words."""
    if region is None:
        return None
    a, b = region
    n21 = sum(1 for w in WORDS_2021 if fuzzy(w).search(text, a, b))
    n19 = sum(1 for w in WORDS_2019 if fuzzy(w).search(text, a, b))
    if n21 == n19 == 0:
        return None
    return "2021" if n21 >= n19 else "2019"
