"""Rows of an unruled table: labels put together from the lines around each row of figures.

A label-only line is half of a wrapped label (a half that starts with an item number begins
the row below, another half continues the row above) or a group label further left than the
rows beside it (（三）不予公开, a vertical 三、本年度办理结果), which goes to the first row of
its group, as a merged cell's text sits on its first row in HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_stream_header import Span, column_for
from .pdf_text import Line, Segment

MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")
FIRST_MARKER = re.compile(r"^(?:一、|[（(][一1][)）]|1[.．、])")


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
    """Label text on a line without values: half of a wrapped label, a group label, or the
    label of a row left blank in every column."""

    x0: float
    vy: float
    text: str
    line: Line


@dataclass
class _Layout:
    """Which line follows which, and which row each line's text went to."""

    prev: dict[int, Line]
    next: dict[int, Line]
    owner: dict[int, _Data]

    def touches(self, frag: _Frag, d: _Data | None, below: bool) -> bool:
        """Whether ``frag``'s line is close to row ``d``'s line, or right next to a line whose
        text already went to ``d`` (the third line of a label wrapped twice)."""
        if d is None:
            return False
        a, b = (frag.line, d.line) if below else (d.line, frag.line)
        if b.vy - (a.vy + a.height) <= 0.8 * max(a.height, b.height):
            return True
        other = (self.next if below else self.prev).get(id(frag.line))
        return other is not None and self.owner.get(id(other)) is d


def body_rows(
    body: list[Line], splits: list, cols: list[list[float]], spans: list[Span]
) -> list[tuple[list[str], int]]:
    """One row per line of figures: its label cells, then one cell per column ("" if blank)."""
    rows: list[tuple[list[str], int]] = []
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
            frags.extend(_Frag(seg.x0, line.vy, seg.text, line) for seg in line.segments)
    tol = 0.8 * (sorted(l.size for l in body)[len(body) // 2] if body else 10.0)
    order = sorted(body, key=lambda l: l.vy)
    layout = _Layout(
        prev={id(b): a for a, b in zip(order, order[1:])},
        next={id(a): b for a, b in zip(order, order[1:])},
        owner={id(d.line): d for d in data},
    )
    for frag in frags:
        _place_fragment(frag, data, groups, tol, layout)
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
            k = column_for(seg, spans)
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


def _place_fragment(frag: _Frag, data: list[_Data], groups: list, tol: float, layout: _Layout) -> None:
    """A label-only line: a group label further left, one half of a wrapped label, or a row
    whose every cell is blank.

    A half that starts with an item number ("2.", "（二）") begins the label of the row right
    below it when that row has no label of its own there; another half continues the row above.
    An item-numbered label that no row beside it can take is a row of its own, all blank.
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
    if MARKER.match(text):
        if layout.touches(frag, below, below=True) and (
            needs(below) or (has(below) and not MARKER.match(_cell_at(below, x)))
        ):
            target, front = below, True
        elif layout.touches(frag, above, below=False) and needs(above):
            target, front = above, False
        else:
            blank = _Data(frag.line, [[x, text]], [])
            data.insert(data.index(below) if below is not None else len(data), blank)
            layout.owner[id(frag.line)] = blank
            return
    elif above is not None and (has(above) or needs(above)) and (
        layout.touches(frag, above, below=False) or not layout.touches(frag, below, below=True)
    ):
        target, front = above, False
    elif below is not None:
        target, front = below, True
    elif above is not None:
        target, front = above, False
    else:
        return
    _attach(target, x, text, front=front, tol=tol)
    layout.owner[id(frag.line)] = target


def _cell_at(d: _Data, x: float) -> str:
    return min(d.labels, key=lambda c: abs(c[0] - x))[1]


def _attach(d: _Data, x0: float, text: str, front: bool, tol: float) -> None:
    """Join label text to the row's label cell in its column; text that starts with an item
    number and has no cell there opens one, other text carries on the cell to its left."""
    near = [c for c in d.labels if abs(c[0] - x0) <= tol]
    left = [c for c in d.labels if c[0] <= x0 + tol]
    if near:
        cell = near[0]
    elif d.labels and not MARKER.match(text):
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
        starts = [k for k, d in enumerate(run) if d.level is not None and abs(d.level - child) <= tol and FIRST_MARKER.match(d.label_text)]
        if not starts or starts[0] != 0:
            starts = [0] + starts
    best = starts[0]
    for s in starts:
        if run[s].line.vy <= centre:
            best = s
    run[best].groups.append((level, text))
