"""Tables without ruling lines: columns from the x positions of values and header words.

Works on text lines of the whole document stitched page after page (``Line.vy``), so a table
that runs over a page break is one table. A line is a data line when it ends in value cells
(numbers, "/", "—") with a label before them; lines between data lines are header lines (they
reach into the value columns), wrapped halves of a label, or group labels printed further left
(（三）不予公开, or a vertical 三、本年度办理结果) that belong to a run of sub-rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cells import normalise, read_cell, unreadable_number
from .pdf_settings import PdfSettings
from .pdf_stream_header import columns_and_header
from .pdf_stream_labels import MARKER, body_rows
from .pdf_text import Line, Segment

_VALUE_WITH_NOTE = re.compile(r"^[+\-−－]?\d[\d,]*(?:\.\d+)?(?:元|万元|亿元|件|条|个|项|次|人|%|[（(].*)?$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_NOTE = re.compile(r"^(?:注|备注|说明|数据来源)\s*[:：]?")


def is_value(text: str) -> bool:
    kind, value = read_cell(text)
    if kind in ("number", "not_applicable"):
        return True
    if value is None and unreadable_number(text):
        return True  # a value's place (3.4e1, a count past 2^53): its reading is refused later, with a warning
    return value is not None and bool(_VALUE_WITH_NOTE.match(normalise(text)))


@dataclass
class StreamTable:
    rows: list[tuple[list[str], int]]  # cell texts, page number (1-based)
    first_page: int
    last_page: int


def _split(line: Line) -> tuple[list[Segment], list[Segment]] | None:
    """Label segments then value segments, or None when a value is followed by text."""
    if line.vertical:
        return None
    labels: list[Segment] = []
    values: list[Segment] = []
    for seg in line.segments:
        if is_value(seg.text):
            values.append(seg)
        elif values:
            return None
        else:
            labels.append(seg)
    return labels, values


def find_tables(lines: list[Line], settings: PdfSettings, body_width: float) -> list[tuple[int, int, StreamTable]]:
    """Unruled tables among ``lines``: (first line index, last line index, table), in order."""
    n = len(lines)
    if n < 2:
        return []
    heights = sorted(max(l.height, 1.0) for l in lines if not l.vertical) or [10.0]
    unit = heights[len(heights) // 2]
    max_gap = settings.max_row_gap * unit
    kinds: list[str] = []
    splits = []
    for line in lines:
        sp = _split(line)
        splits.append(sp)
        if sp is None or not sp[1]:
            kinds.append("text")
        elif sp[0] or len(sp[1]) >= 2:
            kinds.append("strong")
        else:
            kinds.append("weak")

    def gap(a: int, b: int) -> float:
        return lines[b].vy - (lines[a].vy + lines[a].height)

    def heading(k: int) -> bool:
        line = lines[k]
        return len(line.segments) == 1 and not line.vertical and bool(_HEADING.match(line.text))

    def prose(k: int) -> bool:
        line = lines[k]
        text = line.text
        return len(line.segments) == 1 and (line.x1 - line.x0 > 0.7 * body_width or text.endswith("。"))

    out = []
    i = 0
    floor = 0
    while i < n:
        if kinds[i] != "strong":
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < n:
            k = j
            ok = True
            while k < n and kinds[k] == "text":
                if gap(k - 1, k) > max_gap or k - j > 8 or prose(k):
                    ok = False
                    break
                if heading(k) and not (k + 1 < n and kinds[k + 1] == "strong" and gap(k, k + 1) <= max_gap):
                    ok = False
                    break
                k += 1
            if not ok or k >= n or gap(k - 1, k) > max_gap:
                break
            end = k
            j = k + 1
        head = start
        while (
            head - 1 >= floor
            and kinds[head - 1] == "text"
            and gap(head - 1, head) <= max_gap
            and not heading(head - 1)
            and not prose(head - 1)
        ):
            head -= 1
        tail = end
        while (
            tail + 1 < n
            and kinds[tail + 1] == "text"
            and gap(tail, tail + 1) <= 1.2 * unit
            and not MARKER.match(lines[tail + 1].text)
            and not _NOTE.match(lines[tail + 1].text)
            and not prose(tail + 1)
        ):
            tail += 1
        data_count = sum(1 for k in range(start, end + 1) if kinds[k] != "text")
        # one data line is a table only when it is a row of several figures (table 4)
        if data_count >= 2 or (splits[start] and len(splits[start][1]) >= 3):
            table = _build(lines[head : tail + 1], [splits[k] for k in range(head, tail + 1)], start - head, settings)
            out.append((head, tail, table))
            floor = tail + 1
        i = max(tail, end) + 1
    return out


def _build(lines: list[Line], splits: list, first_data: int, settings: PdfSettings) -> StreamTable:
    # where label columns end and value columns begin; a table without labels (table 4) has none
    first_value = min(seg.x0 for sp in splits if sp and sp[1] for seg in sp[1])
    label_ends = [seg.x1 for sp in splits if sp and sp[1] for seg in sp[0]]
    if not label_ends:
        value_x0 = float("-inf")
    else:
        value_x0 = min(first_value, (max(label_ends) + first_value) / 2)
    blocks: list[tuple[list[Line], list[int]]] = []  # header lines, indices of body lines
    header: list[Line] = []
    body: list[int] = []
    for k, line in enumerate(lines):
        is_data = splits[k] is not None and bool(splits[k][1])
        reaches_values = any(seg.xc >= value_x0 for seg in line.segments)
        if not is_data and (k < first_data or reaches_values) and not line.vertical:
            if body:
                blocks.append((header, body))
                header, body = [], []
            header.append(line)
        else:
            body.append(k)
    if header or body:
        blocks.append((header, body))
    left = min(l.x0 for l in lines)
    right = max(seg.x1 for sp in splits if sp and sp[1] for seg in sp[1])
    rows: list[tuple[list[str], int]] = []
    for header, body in blocks:
        body_splits = [splits[k] for k in body]
        values = [seg for sp in body_splits if sp and sp[1] for seg in sp[1]]
        value_rows = [sp[1] for sp in body_splits if sp and sp[1]]
        cols, spans, head_rows = columns_and_header(header, values, value_x0, (left, right), settings, value_rows)
        rows.extend(head_rows)
        rows.extend(body_rows([lines[k] for k in body], body_splits, cols, spans))
    pages = [l.page for l in lines]
    return StreamTable(rows=rows, first_page=min(pages), last_page=max(pages))


