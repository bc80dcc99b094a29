"""Locating tables 2, 3 and 4 in the stream and reading their rows into items.

An item is a row label (or none, for a row of numbers whose label was displaced) with the value
tokens that follow it: the rest of the label's own row, or, when the label stands alone, the lines
after it up to the next label or table row (one value per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..fields import REVIEW_COLS
from .labels import CELL, GAP, label_regex
from .stream import Stream
from .tokens import Cut, Token, cut_segment


@lru_cache(maxsize=None)
def fuzzy(*words: str) -> re.Pattern:
    return re.compile("|".join(GAP.join(re.escape(ch) for ch in w) for w in words))


_HAN = re.compile(r"[\u4e00-\u9fff]")
_PROSE = re.compile(r"[,。;]")  # sentence punctuation: header words never carry it
REVIEW_CELLS = 15

T3_START = ("本列数据的勾稽关系", "申请人情况")
T4_START = ("行政复议",)
# A section on information processing fees (五、信息处理费收取情况, with its own small table)
# may follow table 4 before 存在的主要问题: it ends table 4 as well.
T4_END = ("存在的主要问题", "主要问题", "存在问题", "其他需要报告", "改进情况", "整改情况",
          "信息处理费收取情况", "收取信息处理费情况", "信息处理费收费情况")

# Windows of find_regions, in characters of the stream (normalised text, white space collapsed).
# In the real reports a whole table 2 takes at most about 300 characters (the 2019 template, all
# its sections), the heading 三、收到和处理… ends about 17 characters before the table 3 header,
# and the first row label 本年新收 follows that header within about 110: each window leaves ample
# room for local rows and wording, yet stays short of the prose of the sections before.
TABLE2_SPAN = 3000  # a bare "信息内容" this far before table 3 can still be table 2's header
T3_HEADING_SPAN = 200  # how far before table 3 its section heading is looked for
T3_LABEL_LEAD = 400  # a "本年新收" further than this before the table 3 header is prose, not the table


@dataclass
class Regions:
    active: tuple[int, int] | None
    applications: tuple[int, int] | None
    review: tuple[int, int] | None


def find_regions(s: Stream) -> Regions:
    text = s.text
    t2 = _first(text, fuzzy("第二十条第"), 0)
    t3 = _first(text, fuzzy(*T3_START), t2 or 0)
    nr = fuzzy("本年新收").search(text, t2 or 0)
    if nr and (t3 is None or nr.start() < t3 - T3_LABEL_LEAD):
        nr = None  # "本年新收" in prose far before the table header
    starts3 = [p for p in (t3, nr.start() if nr else None) if p is not None]
    t3 = min(starts3) if starts3 else None
    if t3 is not None:
        heading = fuzzy("收到和处理政府信息公开申请").search(text, max(t2 or 0, t3 - T3_HEADING_SPAN), t3)
        if heading:
            t3 = _numbering_start(text, heading.start())
    if t2 is None and t3 is not None:
        # No "第二十条第…项": fall back on the table's own header word just before table 3.
        last = None
        for m in fuzzy("信息内容").finditer(text, max(0, t3 - TABLE2_SPAN), t3):
            last = m.start() if last is None else last
        t2 = last
    if t2 is not None and t3 is not None and t2 > t3:
        t2 = None
    active = (t2, t3 if t3 is not None else len(text)) if t2 is not None else None
    apps = review = None
    if t3 is not None:
        after = t3
        forward = fuzzy("结转下年度", "结转下一年度").search(text, t3)
        if forward:
            after = forward.end()
        t4 = _first(text, fuzzy(*T4_START), after)
        apps = (t3, t4 if t4 is not None else len(text))
        if t4 is not None:
            end = _first(text, fuzzy(*T4_END), t4)
            review = (t4, end if end is not None else len(text))
    return Regions(active, apps, review)


# The number of a section heading just before its wording: 三、 第三部分 (三) or 3. at a line
# start. An Arabic number glued to a figure before it is part of that figure, not a number.
_NUMBERING = re.compile(
    r"(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）]"
    r"|(?<!\S)\d{1,2}\s*[.．、])\s*$"
)
_NUMBERING_SPAN = 12  # the longest number (第十二部分) with the separators around it


def _numbering_start(text: str, pos: int) -> int:
    """Where a heading starts once its number is included: the number belongs to the heading,
    not to the table before it (a lone "3." is no value row of table 2)."""
    lo = max(0, pos - _NUMBERING_SPAN)
    m = _NUMBERING.search(text, lo, pos)
    return m.start() if m else pos


def _first(text: str, rx: re.Pattern, pos: int) -> int | None:
    m = rx.search(text, pos)
    return m.start() if m else None


@dataclass
class Item:
    key: str | None
    tokens: list[Token]
    where: str
    pos: int
    in_table: bool  # the label (or the numbers) sat in a table row
    from_own_row: bool = True
    unknown: str | None = None  # a local row label met while reading
    notes: list[str] = field(default_factory=list)


def read_items(s: Stream, region: tuple[int, int], table: str) -> list[Item]:
    a, b = region
    text = s.text
    hits = list(label_regex(table).finditer(text, a, b))
    items: list[Item] = []
    used_rows: set[int] = set()
    for i, m in enumerate(hits):
        nxt = hits[i + 1].start() if i + 1 < len(hits) else b
        r_first, r = s.row_at(m.start()), s.row_at(max(m.start(), m.end() - 1))
        used_rows.update(range(r_first, r + 1))
        row = s.rows[r]
        own_end = min(s.row_end(r), nxt)
        own = text[m.end():own_end]
        if not row.in_table and _PROSE.search(own):
            # a row's words in a sentence ("其中本年新收申请83件，上年结转3件。") between a
            # table's heading and the table: prose, not the row
            continue
        cut = cut_segment(own, row.where, table, last_field_possible=row.in_table and own_end == s.row_end(r))
        if CELL in own or cut.tokens or cut.unknown:
            items.append(Item(m.lastgroup, cut.tokens, row.where, m.start(), row.in_table, True, cut.unknown))
            continue
        # The label stands alone: read the following lines (one value per line) up to the
        # next label or the next table row.
        tokens: list[Token] = []
        unknown = None
        j = r + 1
        while j < len(s.rows) and s.starts[j] < nxt and s.starts[j] < b:
            nrow = s.rows[j]
            seg = text[s.starts[j]:min(s.row_end(j), nxt)]
            if nrow.in_table and CELL in seg:
                break
            c = cut_segment(seg, nrow.where, table, skip_first_blank=False)
            used_rows.add(j)
            tokens.extend(c.tokens)
            if c.unknown:
                unknown = c.unknown
                break
            j += 1
        items.append(Item(m.lastgroup, tokens, row.where, m.start(), row.in_table, False, unknown))
    # Rows of numbers with no label of their own. Lines that each hold one value and follow one
    # another (a row whose label vanished, one value per line) are gathered into one item.
    ra, rb = s.row_at(a), s.row_at(max(a, b - 1))
    lone: list[Token] = []
    lone_at = 0

    def flush_lone() -> None:
        if lone:
            items.append(Item(None, list(lone), lone[0].where, lone_at, False, False))
            lone.clear()

    for j in range(ra, rb + 1):
        if j in used_rows or s.starts[j] < a:
            flush_lone()
            continue
        row = s.rows[j]
        seg = text[s.starts[j]:min(s.row_end(j), b)]
        cut = cut_segment(seg, row.where, table, skip_first_blank=False, last_field_possible=row.in_table)
        numeric = [t for t in cut.tokens if t.raw]
        if cut.unknown and re.search(r"\d", seg):
            flush_lone()
            items.append(Item(None, [], row.where, s.starts[j], row.in_table, True, cut.unknown))
            continue
        if not numeric:
            if not _HAN.search(seg):
                continue  # a blank or punctuation line does not break a run of values
            flush_lone()
            continue
        if not row.in_table and len(cut.tokens) == 1 and not _HAN.search(seg):
            if not lone:
                lone_at = s.starts[j]
            lone.append(cut.tokens[0])
            continue
        flush_lone()
        if not row.in_table and len(numeric) < 2:
            continue
        items.append(Item(None, cut.tokens, row.where, s.starts[j], row.in_table, True, cut.unknown))
    flush_lone()
    items.sort(key=lambda it: it.pos)
    return items



def read_review_tokens(s: Stream, region: tuple[int, int]) -> list[Token]:
    """Table 4: the value tokens of the rows that hold numbers, in order, up to fifteen cells.

    Prose lines (a note under the table) are skipped so their years and counts stay out."""
    a, b = region
    out: list[Token] = []
    for j in range(s.row_at(a), s.row_at(max(a, b - 1)) + 1):
        row = s.rows[j]
        seg = s.text[max(a, s.starts[j]):min(s.row_end(j), b)]
        if not row.in_table and _PROSE.search(seg) and len(_HAN.findall(seg)) >= 6:
            # a sentence: skipped, unless the table runs on after it in the same line (a
            # flattened page: "…提起行政诉讼6件。行政复议…总计102032…")
            tail = _PROSE.split(seg)[-1]
            digits = sum(len(re.sub(r"\D", "", t.raw)) for t in cut_segment(tail, row.where, "review").tokens)
            if out or digits < len(REVIEW_COLS):
                if out:
                    break
                continue
            seg = tail
        cut: Cut = cut_segment(seg, row.where, "review", skip_first_blank=False, last_field_possible=row.in_table)
        if any(t.raw for t in cut.tokens) or _blank_grid_row(row, seg, cut.tokens):
            out.extend(cut.tokens)
        if sum(1 for t in out if t.raw) >= REVIEW_CELLS or len(out) >= REVIEW_CELLS and row.in_table:
            break
    return out


def _blank_grid_row(row, seg: str, tokens: list[Token]) -> bool:
    """A table row of blank cells only, a group's five or more: figures published blank, which
    stay in the record as nulls (a header row always carries words)."""
    return row.in_table and len(tokens) >= 5 and not any(t.raw for t in tokens) and not _HAN.search(seg)
