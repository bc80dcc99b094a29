"""Columns of an unruled table and the header rows above them.

Value columns are the x ranges where figures stand; a column blank in every row is known from a
header word alone. Header words run together ("商业企科研机") are cut at column boundaries; in each
column the lowest stack of closely set header lines is that column's own header (商业企 / 业),
and words wider than a column or standing over several columns keep rows of their own.
"""

from __future__ import annotations

from .pdf_settings import PdfSettings
from .pdf_text import Line, Segment, join_chars, join_lines

Span = tuple[float, float]


def _value_columns(values: list[Segment], rows: list[list[Segment]] | None = None) -> list[list[float]]:
    cols: list[list[float]] = []
    for seg in sorted(values, key=lambda s: s.x0):
        if cols and seg.x0 <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], seg.x1)
        else:
            cols.append([seg.x0, seg.x1])
    return _join_offset_columns(cols, rows) if rows else cols


def _join_offset_columns(cols: list[list[float]], rows: list[list[Segment]]) -> list[list[float]]:
    """Two neighbouring value columns much closer than the column pitch that never both hold a
    figure of one row are one column whose figures sit a little apart (cells aligned otherwise
    in some rows)."""
    out = [list(c) for c in cols]
    pitch = _pitch(cols)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        shared = any(any(a[0] <= s.xc <= a[1] for s in row) and any(b[0] <= s.xc <= b[1] for s in row) for row in rows)
        width = max((s.x1 - s.x0 for row in rows for s in row if a[0] <= s.xc <= b[1]), default=0.0)
        if not shared and b[0] - a[1] < max(1.5 * width, 0.3 * pitch if pitch != float("inf") else 0.0, 1.0):
            out[k] = [a[0], max(a[1], b[1])]
            del out[k + 1]
        else:
            k += 1
    return out


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


def _words(seg: Segment, settings: PdfSettings) -> list[Segment]:
    """Header words parted by any visible gap are separate headers, even when the gap is too
    narrow to part cells of a data line ("商业企业 科研机构 其他")."""
    if not seg.chars:
        return [seg]
    runs: list[list] = [[seg.chars[0]]]
    for ch in seg.chars[1:]:
        if ch.x0 - runs[-1][-1].x1 >= 0.3 * max(ch.size, runs[-1][-1].size):
            runs.append([ch])
        else:
            runs[-1].append(ch)
    if len(runs) == 1:
        return [seg]
    return [Segment(join_chars(r, settings), r[0].x0, max(c.x1 for c in r), r) for r in runs]


# Column headers of table 3: narrow columns may print them with no gap at all between them.
_COLUMN_WORDS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def _column_words(seg: Segment, settings: PdfSettings) -> list[Segment]:
    """A header run made wholly of two or more known column names ("商业企业科研机构社会公益组织")
    is cut at the name boundaries: each name then stands over its own column by position."""
    chars = [ch for ch in seg.chars if not ch.c.isspace()]
    text = "".join(ch.c for ch in chars)
    pieces: list[list] = []
    k = 0
    while k < len(text):
        word = next((w for w in _COLUMN_WORDS if text.startswith(w, k)), None)
        if word is None:
            return [seg]
        pieces.append(chars[k : k + len(word)])
        k += len(word)
    if len(pieces) < 2:
        return [seg]
    return [Segment(join_chars(p, settings), p[0].x0, max(c.x1 for c in p), p) for p in pieces]


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


def columns_and_header(
    header: list[Line], values: list[Segment], value_x0: float, extent: tuple[float, float], settings: PdfSettings,
    value_rows: list[list[Segment]] | None = None,
) -> tuple[list[list[float]], list[Span], list[tuple[list[str], int]]]:
    """The block's value columns, their assignment spans, and its header rows."""
    cols = _value_columns(values, value_rows)
    header_segs = [
        [
            p
            for seg in line.segments
            for word in _words(seg, settings)
            for named in _column_words(word, settings)
            for p in _split_header(named, cols, settings)
        ]
        for line in header
    ]
    spanning = _spanning_test(header_segs, cols)
    cols = sorted(cols + _blank_columns(header_segs, cols, value_x0, spanning))
    spans = _spans(cols)
    rows = _header_rows(header, header_segs, cols, spans, value_x0, extent, spanning) if header else []
    return cols, spans, rows


def _spanning_test(header_segs: list[list[Segment]], cols: list[list[float]]):
    """A test for header words that head several columns: wider than a column, over two column
    centres, or over header words of two or more columns on the lines below."""
    pitch = _pitch(cols)
    spans = _spans(cols)

    def column_of(x: float) -> int:
        return next((k for k, (lo, hi) in enumerate(spans) if lo <= x < hi), -1)

    parents: set[int] = set()
    for i, segs in enumerate(header_segs):
        for seg in segs:
            under = {column_of(o.xc) for lower in header_segs[i + 1 :] for o in lower if seg.x0 - 1 <= o.xc <= seg.x1 + 1}
            if len(under) >= 2:
                parents.add(id(seg))

    def spanning(seg: Segment) -> bool:
        centres = sum(1 for a, b in cols if seg.x0 <= (a + b) / 2 <= seg.x1)
        # a column's own name may be wider than the column pitch (社会公益组织 over narrow figures)
        wide = seg.x1 - seg.x0 > 1.3 * pitch and seg.text.replace(" ", "") not in _COLUMN_WORDS
        return centres >= 2 or wide or id(seg) in parents

    return spanning


def _blank_columns(header_segs: list[list[Segment]], cols: list[list[float]], value_x0: float, spanning) -> list[list[float]]:
    """Columns left blank in every row, known from a header word over no figure at all."""
    extra: list[list[float]] = []
    for segs in header_segs:
        if len(segs) < 2:  # a lone line is a title, not a row of column headers
            continue
        for seg in segs:
            if len(seg.text) < 2:  # a letter-spaced header ("总  计") falls apart into single characters
                continue
            if seg.xc >= value_x0 and not spanning(seg) and not any(seg.x0 <= c[1] and seg.x1 >= c[0] for c in cols + extra):
                extra.append([seg.x0, seg.x1])
    return extra


def _header_rows(header, header_segs, cols, spans, value_x0, extent, spanning) -> list[tuple[list[str], int]]:
    """Titles and words spanning several columns keep rows of their own; in each column the lowest
    stack of closely set lines is the column's own header (商业企 / 业), anything higher up in
    that column heads several columns (行政复议); then one row: label header + column headers."""
    middle, width = (extent[0] + extent[1]) / 2, extent[1] - extent[0]
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
                leaves.setdefault(column_for(seg, spans), []).append((i, line.vy, line.vy + line.height, seg.x0, seg.text))
    col_parts: list[list[str]] = [[] for _ in cols]
    for k, pieces in leaves.items():
        pieces.sort(key=lambda p: p[1])
        first = len(pieces) - 1
        while first > 0 and pieces[first][1] - pieces[first - 1][2] <= 0.6 * header[pieces[first][0]].size:
            first -= 1
        col_parts[k] = [p[4] for p in pieces[first:]]
        for i, _y0, _y1, x0, text in pieces[:first]:
            own.setdefault(i, []).append((x0, text))
    rows = [([t for _x, t in sorted(own[i])], header[i].page) for i in sorted(own)]
    if label_parts or any(col_parts):
        lead = [join_lines(label_parts)] if label_parts else []
        rows.append((lead + [join_lines(p) for p in col_parts], header[0].page))
    return rows


def column_for(seg: Segment, spans: list[Span]) -> int:
    """The column whose span overlaps ``seg`` most."""
    return max(range(len(spans)), key=lambda k: min(seg.x1, spans[k][1]) - max(seg.x0, spans[k][0]))
