"""Tables drawn with ruling lines (WPS/Word exports): lines → grid → merged cells → rows.

The grid is every distinct x of a vertical ruling and y of a horizontal one; two neighbouring
grid boxes belong to one (merged) cell when no ruling separates them. Characters go to the cell
holding their centre, so a merged label spanning several rows (三、本年度办理结果) or a header
word wrapped inside its cell (商业企 / 业) comes out as one cell text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .pdf_settings import PdfSettings
from .pdf_stream import is_value
from .pdf_text import Char, cell_text, group_lines, make_line


@dataclass
class Seg:
    pos: float  # y of a horizontal ruling, x of a vertical one
    lo: float
    hi: float


@dataclass
class Grid:
    page: int
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # (r0, c0) -> text

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def _label_columns(self) -> set[int]:
        """Columns holding label text in some row that also holds figures. Not "left of the
        first figure": on a table of mostly blank cells (zeros printed blank) the first figure
        may stand far right, in the 总计 column."""
        by_row: dict[int, list[tuple[int, int, str]]] = {}
        for r0, c0, _r1, c1 in self.cells:
            by_row.setdefault(r0, []).append((c0, c1, self.texts.get((r0, c0), "")))
        out: set[int] = set()
        for cells in by_row.values():
            if any(c0 == c1 and is_value(t) for c0, c1, t in cells):
                out.update(c for c0, c1, t in cells if t and not is_value(t) for c in range(c0, c1 + 1))
        return out

    def rows(self) -> list[list[str]]:
        """One list of cell texts per grid band that starts at least one non-blank cell.

        Blank cells in the label columns (up to the last one holding label text beside figures)
        are left out:
        they are the tail of a merged label from the page before, or padding beside a short label.
        """
        label_cols = self._label_columns()
        first_value = max(label_cols) + 1 if label_cols else 0
        starts: dict[int, list[tuple[int, str]]] = {}
        for r0, c0, _r1, c1 in self.cells:
            text = self.texts.get((r0, c0), "")
            if not text and c1 < first_value:
                continue
            starts.setdefault(r0, []).append((c0, text))
        out = []
        for r in sorted(starts):
            texts = [t for _c, t in sorted(starts[r])]
            if any(texts):
                out.append(texts)
        return out


def _visible(color) -> bool:
    return color is not None and min(color) < 0.85 if color else False


def page_rulings(page, settings: PdfSettings) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments drawn on a PyMuPDF page."""
    hs: list[Seg] = []
    vs: list[Seg] = []

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= settings.snap and abs(x1 - x0) > settings.snap:
            hs.append(Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= settings.snap and abs(y1 - y0) > settings.snap:
            vs.append(Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for path in page.get_drawings():
        stroked = "s" in (path.get("type") or "") and _visible(path.get("color"))
        filled = "f" in (path.get("type") or "") and _visible(path.get("fill"))
        if filled and not stroked and path["items"] and all(item[0] == "l" for item in path["items"]):
            # a border side filled as a thin bevelled polygon (browsers' inset/outset borders)
            box = path["rect"]
            if min(box.width, box.height) <= settings.thin_fill:
                y, x = (box.y0 + box.y1) / 2, (box.x0 + box.x1) / 2
                add(box.x0, y, box.x1, y) if box.width >= box.height else add(x, box.y0, x, box.y1)
            continue
        for item in path["items"]:
            kind = item[0]
            if kind == "l" and stroked:
                p, q = item[1], item[2]
                add(p.x, p.y, q.x, q.y)
            elif kind in ("re", "qu"):
                r = item[1] if kind == "re" else item[1].rect
                if stroked:
                    add(r.x0, r.y0, r.x1, r.y0)
                    add(r.x0, r.y1, r.x1, r.y1)
                    add(r.x0, r.y0, r.x0, r.y1)
                    add(r.x1, r.y0, r.x1, r.y1)
                elif filled and min(r.width, r.height) <= settings.thin_fill:
                    if r.width >= r.height:
                        add(r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2)
                    else:
                        add((r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1)
    return _merge(hs, settings), _merge(vs, settings)


def _merge(segs: list[Seg], settings: PdfSettings) -> list[Seg]:
    """Join collinear pieces (a border drawn cell by cell) into long segments."""
    out: list[Seg] = []
    for s in sorted(segs, key=lambda s: (round(s.pos / settings.snap), s.lo)):
        last = out[-1] if out else None
        if last and abs(last.pos - s.pos) <= settings.snap and s.lo <= last.hi + settings.snap:
            last.hi = max(last.hi, s.hi)
        else:
            out.append(Seg(s.pos, s.lo, s.hi))
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def find_grids(hs: list[Seg], vs: list[Seg], page: int, settings: PdfSettings) -> list[Grid]:
    """Group crossing rulings into tables and work out each table's merged cells."""
    tol = settings.snap
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue
        grid = _build_grid(gh, gv, page, settings)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _build_grid(hs: list[Seg], vs: list[Seg], page: int, settings: PdfSettings) -> Grid | None:
    xs = [v.pos for v in vs] + [min(h.lo for h in hs), max(h.hi for h in hs)]
    ys = [h.pos for h in hs] + [min(v.lo for v in vs), max(v.hi for v in vs)]
    xs = _cluster(xs, settings.min_band)
    ys = _cluster(ys, settings.min_band)
    if len(xs) < 3 or len(ys) < 2:
        return None  # a frame or a stack of rules with no column lines: read from positions
    nr, nc = len(ys) - 1, len(xs) - 1
    tol = settings.snap

    def vertical_at(x: float, y: float) -> bool:
        return any(abs(v.pos - x) <= tol and v.lo - tol <= y <= v.hi + tol for v in vs)

    def horizontal_at(y: float, x: float) -> bool:
        return any(abs(h.pos - y) <= tol and h.lo - tol <= x <= h.hi + tol for h in hs)

    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not vertical_at(xs[c + 1], ymid):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not horizontal_at(ys[r + 1], xmid):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    boxes: dict[int, list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            b = boxes.setdefault(find(r * nc + c), [r, c, r, c])
            b[0], b[1] = min(b[0], r), min(b[1], c)
            b[2], b[3] = max(b[2], r), max(b[3], c)
    if len(boxes) < 2:
        return None  # a framed text box, not a table
    grid = Grid(page=page, xs=xs, ys=ys, cells=[tuple(b) for b in boxes.values()])
    grid._owner = {  # type: ignore[attr-defined]
        (r, c): (b[0], b[1]) for b in grid.cells for r in range(b[0], b[2] + 1) for c in range(b[1], b[3] + 1)
    }
    return grid


def fill_grid(grid: Grid, chars: list[Char], settings: PdfSettings) -> list[Char]:
    """Put each char into the cell holding its centre; return the chars outside the grid."""
    x0, y0, x1, y1 = grid.bbox
    owner = grid._owner  # type: ignore[attr-defined]
    inside: dict[tuple[int, int], list[Char]] = {}
    rest: list[Char] = []
    for ch in chars:
        if not (x0 <= ch.xc <= x1 and y0 <= ch.yc <= y1):
            rest.append(ch)
            continue
        c = min(max(bisect_right(grid.xs, ch.xc) - 1, 0), len(grid.xs) - 2)
        r = min(max(bisect_right(grid.ys, ch.yc) - 1, 0), len(grid.ys) - 2)
        inside.setdefault(owner[(r, c)], []).append(ch)
    grid.texts = {key: cell_text(group, settings) for key, group in inside.items()}
    if chars and hasattr(chars[0], "conf"):  # recognised characters: each cell's weakest one
        grid.confs = {key: min(ch.conf for ch in group) for key, group in inside.items()}  # type: ignore[attr-defined]
    grid.coarse = any(_several_values(group, settings) for group in inside.values())  # type: ignore[attr-defined]
    return rest


def _several_values(chars: list[Char], settings: PdfSettings) -> bool:
    """A cell holding figures far apart on one line: the columns between them are not ruled."""
    for line in group_lines(chars, settings):
        segs = make_line(line, 0, settings).segments
        if sum(1 for s in segs if is_value(s.text)) >= 2:
            return True
    return False


def same_columns(prev: Grid, nxt: Grid, tol: float = 3.0) -> bool:
    """True when ``nxt`` looks like the continuation of ``prev``: its column rulings match."""
    inner = nxt.xs
    matched = sum(1 for x in inner if any(abs(x - p) <= tol for p in prev.xs))
    return matched >= max(2, int(0.8 * len(inner) + 0.5))
