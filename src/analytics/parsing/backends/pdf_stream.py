"""Tables without ruling lines: columns from the x positions of values and header words.

Works on text lines of the whole document stitched page after page (``Line.vy``), so a table
that runs over a page break is one table. A line is a data line when it ends in value cells
(numbers, "/", "—") with a label before them; lines between data lines are header lines (they
reach into the value columns), wrapped halves of a label, or group labels printed further left
(（三）不予公开, or a vertical 三、本年度办理结果) that belong to a run of sub-rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cells import normalise, read_cell
from .pdf_settings import PdfSettings
from .pdf_text import Line, Segment, join_chars, join_lines

_VALUE_WITH_NOTE = re.compile(r"^[+\-−－]?\d[\d,]*(?:\.\d+)?(?:元|万元|亿元|件|条|个|项|次|人|%|[（(].*)?$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")
_FIRST_MARKER = re.compile(r"^(?:一、|[（(][一1][)）]|1[.．、])")
_NOTE = re.compile(r"^(?:注|备注|说明|数据来源)\s*[:：]?")


def is_value(text: str) -> bool:
    kind, value = read_cell(text)
    if kind in ("number", "not_applicable"):
        return True
    return value is not None and bool(_VALUE_WITH_NOTE.match(normalise(text)))


@dataclass
class _Data:
    line: Line
    labels: list[list]  # [x0, text] pairs, left to right
    values: list[Segment]
    groups: list[tuple[float, str]] = field(default_factory=list)

    @property
    def level(self) -> float | None:
        return self.labels[0][0] if self.labels else None

    @property
    def label_text(self) -> str:
        return "".join(t for _x, t in self.labels)


@dataclass
class _Frag:
    """Label text on a line without values: half of a wrapped label, or a group label."""

    x0: float
    vy: float
    text: str


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
            and not _MARKER.match(lines[tail + 1].text)
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
        rows.extend(
            _block_rows(header, [lines[k] for k in body], [splits[k] for k in body], value_x0, (left, right), settings)
        )
    pages = [l.page for l in lines]
    return StreamTable(rows=rows, first_page=min(pages), last_page=max(pages))


def _value_columns(values: list[Segment]) -> list[list[float]]:
    cols: list[list[float]] = []
    for seg in sorted(values, key=lambda s: s.x0):
        if cols and seg.x0 <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], seg.x1)
        else:
            cols.append([seg.x0, seg.x1])
    return cols


def _spans(cols: list[list[float]]) -> list[tuple[float, float]]:
    out = []
    for k, (x0, x1) in enumerate(cols):
        lo = (cols[k - 1][1] + x0) / 2 if k else float("-inf")
        hi = (x1 + cols[k + 1][0]) / 2 if k + 1 < len(cols) else float("inf")
        out.append((lo, hi))
    return out


def _pitch(cols: list[list[float]]) -> float:
    centres = [(a + b) / 2 for a, b in cols]
    gaps = sorted(b - a for a, b in zip(centres, centres[1:]))
    return gaps[len(gaps) // 2] if gaps else float("inf")


def _split_header(seg: Segment, cols: list[list[float]], settings: PdfSettings) -> list[Segment]:
    """Column headers set so tight that they run together ("商业企科研机") are cut at the
    column boundaries, when each piece sits centred over its own column."""
    if len(cols) < 2 or not seg.chars:
        return [seg]
    spans = _spans(cols)
    pitch = _pitch(cols)
    groups: dict[int, list] = {}
    for ch in seg.chars:
        k = next((k for k, (lo, hi) in enumerate(spans) if lo <= ch.xc < hi), None)
        if k is None:
            return [seg]
        groups.setdefault(k, []).append(ch)
    if len(groups) < 2:
        return [seg]
    pieces = []
    for k, chars in sorted(groups.items()):
        x0, x1 = min(c.x0 for c in chars), max(c.x1 for c in chars)
        if abs((x0 + x1) / 2 - sum(cols[k]) / 2) > 0.2 * pitch:
            return [seg]
        pieces.append(Segment(join_chars(chars, settings), x0, x1, chars))
    # a cut must fall in a visible gap: a heading spanning columns has none between its chars
    for a, b in zip(pieces, pieces[1:]):
        if b.x0 - a.x1 < 0.25 * max(b.chars[0].size, a.chars[-1].size):
            return [seg]
    return pieces


def _block_rows(header: list[Line], body: list[Line], splits: list, value_x0: float, extent: tuple[float, float], settings: PdfSettings):
    values = [seg for sp in splits if sp and sp[1] for seg in sp[1]]
    cols = _value_columns(values)
    header_segs = [[p for seg in line.segments for p in _split_header(seg, cols, settings)] for line in header]
    pitch = _pitch(cols)

    # a header over header words of two or more columns below it is a heading spanning columns
    value_spans = _spans(cols)

    def column_of(x: float) -> int:
        return next((k for k, (lo, hi) in enumerate(value_spans) if lo <= x < hi), -1)

    parents: set[int] = set()
    for i, segs in enumerate(header_segs):
        for seg in segs:
            under = {column_of(o.xc) for lower in header_segs[i + 1 :] for o in lower if seg.x0 - 1 <= o.xc <= seg.x1 + 1}
            if len(under) >= 2:
                parents.add(id(seg))

    def spanning(seg: Segment) -> bool:
        centres = sum(1 for a, b in cols if seg.x0 <= (a + b) / 2 <= seg.x1)
        return centres >= 2 or seg.x1 - seg.x0 > 1.3 * pitch or id(seg) in parents

    # a column left blank in every row is known from its header word alone
    extra: list[list[float]] = []
    for segs in header_segs:
        if len(segs) < 2:
            continue
        for seg in segs:
            if seg.xc >= value_x0 and not spanning(seg) and not any(seg.x0 <= c[1] and seg.x1 >= c[0] for c in cols + extra):
                extra.append([seg.x0, seg.x1])
    cols = sorted(cols + extra)
    spans = _spans(cols)
    rows: list[tuple[list[str], int]] = []

    # header: titles and words spanning several columns keep their own rows; in each column the
    # lowest stack of closely set lines is the column's own header (商业企 / 业), anything
    # higher up in that column is a heading over several columns (行政复议)
    middle, width = (extent[0] + extent[1]) / 2, extent[1] - extent[0]
    if header:
        label_parts: list[str] = []
        own: dict[int, list[tuple[float, str]]] = {}
        leaves: dict[int, list[tuple[int, float, float, float, str]]] = {}
        for i, (line, segs) in enumerate(zip(header, header_segs)):
            for seg in segs:
                title = len(segs) == 1 and abs(seg.xc - middle) < 0.06 * width
                if seg.xc < value_x0 and not title:
                    label_parts.append(seg.text)
                elif title or spanning(seg):
                    own.setdefault(i, []).append((seg.x0, seg.text))
                else:
                    k = max(range(len(cols)), key=lambda k: min(seg.x1, spans[k][1]) - max(seg.x0, spans[k][0]))
                    leaves.setdefault(k, []).append((i, line.vy, line.vy + line.height, seg.x0, seg.text))
        col_parts: list[list[str]] = [[] for _ in cols]
        for k, pieces in leaves.items():
            pieces.sort(key=lambda p: p[1])
            first = len(pieces) - 1
            while first > 0 and pieces[first][1] - pieces[first - 1][2] <= 0.6 * header[pieces[first][0]].size:
                first -= 1
            col_parts[k] = [p[4] for p in pieces[first:]]
            for i, _y0, _y1, x0, text in pieces[:first]:
                own.setdefault(i, []).append((x0, text))
        for i in sorted(own):
            rows.append(([t for _x, t in sorted(own[i])], header[i].page))
        if label_parts or any(col_parts):
            lead = [join_lines(label_parts)] if label_parts else []
            rows.append((lead + [join_lines(p) for p in col_parts], header[0].page))

    data: list[_Data] = []
    frags: list[_Frag] = []
    groups: list[tuple[float, float, str]] = []  # x0, vertical centre, text
    for line, sp in zip(body, splits):
        if sp is not None and sp[1]:
            data.append(_Data(line, [[s.x0, s.text] for s in sp[0]], sp[1]))
        elif line.vertical:
            groups.append((line.x0, line.vy + line.height / 2, line.text))
        else:
            # each piece of a label-only line may belong to a different row or group
            frags.extend(_Frag(seg.x0, line.vy, seg.text) for seg in line.segments)
    tol = 0.8 * (sorted(l.size for l in body)[len(body) // 2] if body else 10.0)
    for frag in frags:
        _place_fragment(frag, data, groups, tol)
    # a group label printed on the line of one of its sub-rows moves to the group's first row
    for d in data:
        while len(d.labels) > 1 and d.labels[0][0] < d.labels[1][0] - tol:
            x0, text = d.labels.pop(0)
            groups.append((x0, d.line.vy + d.line.height / 2, text))
    for x0, centre, text in sorted(groups, key=lambda g: g[1]):
        _place_group(x0, centre, text, data, tol)

    for d in data:
        cells: list[str] = [t for _x, t in sorted(d.groups + [(x, t) for x, t in d.labels])]
        slots = [""] * len(cols)
        for seg in d.values:
            k = max(range(len(cols)), key=lambda k: min(seg.x1, spans[k][1]) - max(seg.x0, spans[k][0]))
            slots[k] = (slots[k] + " " + seg.text).strip()
        rows.append((cells + slots, d.line.page))
    return rows


def _neighbours(frag: _Frag, data: list[_Data]) -> tuple[_Data | None, _Data | None]:
    above = below = None
    for d in data:
        if d.line.vy < frag.vy:
            above = d
        elif below is None:
            below = d
    return above, below


def _place_fragment(frag: _Frag, data: list[_Data], groups: list, tol: float) -> None:
    """A label-only line: a group label further left, or one half of a wrapped label.

    A half that starts with an item number ("2.", "（二）") begins the label of the row below,
    another half continues the row above; a row with no label text at that column takes it.
    """
    above, below = _neighbours(frag, data)
    labelled_above = next((d for d in reversed(data) if d.line.vy < frag.vy and d.labels), None)
    labelled_below = next((d for d in data if d.line.vy > frag.vy and d.labels), None)
    levels = [d.level for d in (labelled_above, labelled_below) if d is not None]
    x = frag.x0
    if levels and x < min(levels) - tol:
        groups.append((x, frag.vy, frag.text))
        return

    def has(d: _Data | None) -> bool:
        return d is not None and any(abs(c[0] - x) <= tol for c in d.labels)

    def needs(d: _Data | None) -> bool:
        return d is not None and all(c[0] < x - tol for c in d.labels)

    text = frag.text
    if _MARKER.match(text):
        if below is not None and (needs(below) or (has(below) and not _MARKER.match(_cell_at(below, x)))):
            _attach(below, x, text, front=True, tol=tol)
        elif above is not None and (has(above) or needs(above)):
            _attach(above, x, text, front=False, tol=tol)
        elif below is not None:
            _attach(below, x, text, front=True, tol=tol)
        elif above is not None:
            _attach(above, x, text, front=False, tol=tol)
        return
    if above is not None and (has(above) or needs(above)):
        _attach(above, x, text, front=False, tol=tol)
    elif below is not None:
        _attach(below, x, text, front=True, tol=tol)
    elif above is not None:
        _attach(above, x, text, front=False, tol=tol)


def _cell_at(d: _Data, x: float) -> str:
    return min(d.labels, key=lambda c: abs(c[0] - x))[1]


def _attach(d: _Data, x0: float, text: str, front: bool, tol: float) -> None:
    """Join label text to the row's label cell in its column; text that starts with an item
    number and has no cell there opens one, other text carries on the cell to its left."""
    near = [c for c in d.labels if abs(c[0] - x0) <= tol]
    left = [c for c in d.labels if c[0] <= x0 + tol]
    if near:
        cell = near[0]
    elif d.labels and not _MARKER.match(text):
        cell = left[-1] if left else d.labels[0]
    else:
        d.labels.append([x0, text])
        d.labels.sort(key=lambda c: c[0])
        return
    if front:
        cell[1] = text + cell[1]
        cell[0] = min(cell[0], x0)
    else:
        cell[1] = cell[1] + text


def _place_group(level: float, centre: float, text: str, data: list[_Data], tol: float) -> None:
    """Give a group label to the first row of the run of sub-rows it stands beside."""
    if not data:
        return

    def deeper(d: _Data) -> bool:
        return d.level is None or d.level > level + tol

    p = next((k for k, d in enumerate(data) if d.line.vy > centre), len(data))
    lo, hi = p, p - 1
    while lo - 1 >= 0 and deeper(data[lo - 1]):
        lo -= 1
    while hi + 1 < len(data) and deeper(data[hi + 1]):
        hi += 1
    if lo > hi:
        data[min(p, len(data) - 1)].groups.append((level, text))
        return
    run = data[lo : hi + 1]
    child = min((d.level for d in run if d.level is not None), default=None)
    starts = [0]
    if child is not None:
        starts = [k for k, d in enumerate(run) if d.level is not None and abs(d.level - child) <= tol and _FIRST_MARKER.match(d.label_text)]
        if not starts or starts[0] != 0:
            starts = [0] + starts
    best = starts[0]
    for s in starts:
        if run[s].line.vy <= centre:
            best = s
    run[best].groups.append((level, text))
