"""Characters with positions, and the lines and cell-like segments they form.

Everything works on single characters rather than the words a PDF library reports, because a
word in the content stream can straddle two table cells ("审结总计").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .pdf_settings import PdfSettings


@dataclass(frozen=True)
class Char:
    c: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


def import_pymupdf():
    """PyMuPDF without its optional add-ons (layout analysis, pymupdf4llm): when installed, they
    load neural-network runtimes at import time (seconds), and this backend reads the geometry
    itself. They are hidden only while PyMuPDF imports, so code that wants them can still import
    them later."""
    import sys

    if "pymupdf" in sys.modules:
        return sys.modules["pymupdf"]
    hidden = [name for name in ("pymupdf.layout", "pymupdf4llm") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail fast
    try:
        import pymupdf
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return pymupdf


def page_chars(page) -> tuple[list[Char], int]:
    """All visible non-space characters of a PyMuPDF page, with their boxes, and the number of
    characters whose font has no Unicode mapping (they come out as U+FFFD)."""
    pymupdf = import_pymupdf()
    flags = pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_MEDIABOX_CLIP
    out: list[Char] = []
    unmapped = 0
    for block in page.get_text("rawdict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                size = float(span["size"]) or 10.0
                for ch in span["chars"]:
                    c = ch["c"]
                    if c == "\ufffd":
                        unmapped += 1
                        continue
                    if not c or c.isspace():
                        continue
                    if "\u2e80" <= c <= "\u2fdf":
                        # Kangxi radicals that some exporters write for common characters (⼀ for 一)
                        c = unicodedata.normalize("NFKC", c)
                    x0, y0, x1, y1 = ch["bbox"]
                    if x1 - x0 <= 0:
                        x1 = x0 + size * 0.5
                    out.append(Char(c, x0, y0, x1, y1, size))
    return out, unmapped


def join_chars(chars: list[Char], settings: PdfSettings) -> str:
    """Text of chars on one line, left to right; a space only where Latin words or numbers part."""
    chars = sorted(chars, key=lambda ch: ch.x0)
    parts: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            gap = ch.x0 - prev.x1
            if gap > settings.word_gap * max(ch.size, prev.size) and not (is_cjk(ch.c) or is_cjk(prev.c)):
                parts.append(" ")
        parts.append(ch.c)
        prev = ch
    return "".join(parts)


def join_lines(texts: list[str]) -> str:
    """Wrapped lines of one cell or paragraph: CJK runs on, Latin text gets a space."""
    out = ""
    for t in texts:
        if not t:
            continue
        # a number broken over two lines ("2" / "023") runs on like CJK does
        if out and not (is_cjk(out[-1]) or is_cjk(t[0]) or (out[-1].isdigit() and t[0].isdigit())):
            out += " "
        out += t
    return out


def group_lines(chars: list[Char], settings: PdfSettings) -> list[list[Char]]:
    """Cluster chars into text lines by vertical centre, top to bottom."""
    lines: list[list[Char]] = []
    centres: list[float] = []
    for ch in sorted(chars, key=lambda c: c.yc):
        if lines and abs(ch.yc - centres[-1]) <= settings.line_tolerance * ch.size:
            lines[-1].append(ch)
            n = len(lines[-1])
            centres[-1] += (ch.yc - centres[-1]) / n
        else:
            lines.append([ch])
            centres.append(ch.yc)
    return lines


def cell_text(chars: list[Char], settings: PdfSettings) -> str:
    """Text of all chars inside one table cell: lines top to bottom, each left to right."""
    if not chars:
        return ""
    return join_lines([join_chars(line, settings) for line in group_lines(chars, settings)])


@dataclass
class Segment:
    """A run of chars on one line with no cell-sized gap inside: one cell of an unruled table."""

    text: str
    x0: float
    x1: float
    chars: list[Char] = field(default_factory=list, repr=False)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    """A text line of one page (or a stack of vertical characters), with cell-like segments."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    segments: list[Segment]
    vertical: bool = False
    vy: float = 0.0  # position in the document once pages are stitched end to end
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return join_lines([s.text for s in self.segments]) if not self.vertical else self.segments[0].text

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def make_line(chars: list[Char], page: int, settings: PdfSettings) -> Line:
    chars = sorted(chars, key=lambda ch: ch.x0)
    segments: list[Segment] = []
    run: list[Char] = []
    for ch in chars:
        if run and ch.x0 - run[-1].x1 > settings.cell_gap * max(ch.size, run[-1].size):
            segments.append(Segment(join_chars(run, settings), run[0].x0, max(c.x1 for c in run), run))
            run = []
        run.append(ch)
    if run:
        segments.append(Segment(join_chars(run, settings), run[0].x0, max(c.x1 for c in run), run))
    size = sorted(ch.size for ch in chars)[len(chars) // 2]
    return Line(
        page=page,
        x0=min(c.x0 for c in chars),
        y0=min(c.y0 for c in chars),
        x1=max(c.x1 for c in chars),
        y1=max(c.y1 for c in chars),
        size=size,
        segments=segments,
    )


def split_vertical_stacks(chars: list[Char]) -> tuple[list[list[Char]], list[Char]]:
    """Find labels printed one character per line (三、本年度办理结果) and take them out.

    A stack is three or more CJK characters sharing an x position, each right below the other,
    and each alone on its own text line (no horizontal neighbour). Returns (stacks, the rest).
    """
    cjk = sorted((ch for ch in chars if is_cjk(ch.c)), key=lambda ch: ch.xc)
    columns: list[list[Char]] = []
    for ch in cjk:
        if columns and ch.xc - columns[-1][0].xc <= 1.5:
            columns[-1].append(ch)
        else:
            columns.append([ch])
    stacks: list[list[Char]] = []
    for col in columns:
        if len(col) < 3:
            continue
        col.sort(key=lambda ch: ch.y0)
        run = [col[0]]
        for ch in col[1:]:
            if -0.2 * ch.size <= ch.y0 - run[-1].y1 <= 0.6 * ch.size:
                run.append(ch)
            else:
                if len(run) >= 3:
                    stacks.append(run)
                run = [ch]
        if len(run) >= 3:
            stacks.append(run)
    if not stacks:
        return [], chars
    buckets: dict[int, list[Char]] = {}
    for ch in chars:
        buckets.setdefault(int(ch.yc // 8), []).append(ch)
    taken: set[int] = set()
    kept: list[list[Char]] = []
    for stack in stacks:
        ids = {id(ch) for ch in stack}
        if all(_alone(ch, ids, buckets) for ch in stack):
            kept.append(stack)
            taken |= ids
    return kept, [ch for ch in chars if id(ch) not in taken]


def _alone(ch: Char, ids: set[int], buckets: dict[int, list[Char]]) -> bool:
    """True when no other char sits on the same text line right beside ``ch``."""
    b = int(ch.yc // 8)
    for key in (b - 1, b, b + 1):
        for other in buckets.get(key, ()):
            if id(other) in ids or abs(other.yc - ch.yc) >= 0.5 * ch.size:
                continue
            if -0.5 < other.x0 - ch.x1 < 0.6 * ch.size or -0.5 < ch.x0 - other.x1 < 0.6 * ch.size:
                return False
    return True


def stack_line(stack: list[Char], page: int) -> Line:
    text = "".join(ch.c for ch in sorted(stack, key=lambda c: c.y0))
    x0, x1 = min(c.x0 for c in stack), max(c.x1 for c in stack)
    return Line(
        page=page,
        x0=x0,
        y0=min(c.y0 for c in stack),
        x1=x1,
        y1=max(c.y1 for c in stack),
        size=stack[0].size,
        segments=[Segment(text, x0, x1, list(stack))],
        vertical=True,
    )


_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－―~·\s]*\d{1,4}[-–—－―~·\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
_DECORATED = re.compile(r"[-–—－―~·页/]|page", re.I)


def is_page_number(line: Line, page_width: float, page_height: float, settings: PdfSettings) -> bool:
    """A running page number ("-4-", "— 5 —", "第 3 页") in the top or bottom margin zone."""
    text = line.text.strip()
    if line.vertical or len(line.segments) > 3 or not _PAGE_NUMBER.match(text):
        return False
    zone = settings.margin_zone * page_height
    if not (line.y1 <= zone or line.y0 >= page_height - zone):
        return False
    if _DECORATED.search(text):
        return True
    # a bare number counts only when centred on the page, as page numbers are
    return abs((line.x0 + line.x1) / 2 - page_width / 2) < 0.1 * page_width
