"""PDF backend: a PDF with a text layer → ``Document`` rows in reading order.

Pipeline per page: characters with positions (PyMuPDF, fast) → ruled tables from the drawn lines
(``pdf_lattice``) → the remaining characters as text lines, with labels printed one character per
line taken out as vertical stacks → page numbers dropped. Then over the whole document, pages
stitched end to end: unruled tables from the x positions of values and header words
(``pdf_stream``), prose lines joined into paragraphs, and a table that goes on at the top of the
next page kept as one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import CorruptFile, EncryptedFile, ScannedDocument
from ..document import Cell, Document, Row
from .pdf_lattice import Grid, fill_grid, find_grids, page_rulings, same_columns
from .pdf_meta import find_published, find_title
from .pdf_settings import DEFAULT, PdfSettings
from .pdf_stream import StreamTable, find_tables
from .pdf_text import Line, group_lines, import_pymupdf, is_page_number, join_lines, make_line, page_chars, split_vertical_stacks, stack_line

MIN_TEXT_CHARS = 20  # fewer characters than this in the whole file: no usable text layer


def _open(data: bytes):
    pymupdf = import_pymupdf()

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for a damaged file
        raise CorruptFile(f"PDF 已损坏，无法打开（{_short(exc)}）") from None
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise EncryptedFile("PDF 已加密，须输入密码才能打开")
    try:
        pages = doc.page_count
    except Exception as exc:  # MuPDF counts the pages of some damaged page trees only to fail
        doc.close()
        raise CorruptFile(f"PDF 已损坏：无法读取页数（{_short(exc)}）") from None
    if pages == 0:
        doc.close()
        raise CorruptFile("PDF 已损坏：没有可读取的页面")
    if b"%%EOF" not in data[-4096:]:
        # MuPDF would rebuild what it can of a cut-off file; a partial report is worse than none
        doc.close()
        raise CorruptFile("PDF 不完整：文件在结束标记之前就中断了")
    return doc


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def load(data: bytes, name: str = "", settings: PdfSettings = DEFAULT) -> Document:
    doc = _open(data)
    try:
        try:
            return _read(doc, settings)
        except ScannedDocument:
            # only a file without a usable text layer is recognised: OCR never overrides text
            from . import ocr

            if not ocr.available():
                raise
            return _read(doc, settings, ocr_dpi=settings.ocr_dpi)
    finally:
        doc.close()


def _read(doc, settings: PdfSettings, ocr_dpi: float = 0.0) -> Document:
    warnings: list[dict] = []
    total = doc.page_count
    count = min(total, settings.max_pages)
    if total > count:
        warnings.append(
            {"code": "pages_capped", "message": f"共 {total} 页，只读取了前 {count} 页", "where": f"page {count}"}
        )
    repaired = bool(getattr(doc, "is_repaired", False))
    pages: list[list[tuple[float, object]]] = []  # per page: (top y, Line | Grid)
    zones: list[tuple[float, float]] = []  # per page: bottom of the top margin, top of the bottom one
    confs: dict[int, dict[str, float]] = {}  # OCR: page number -> text -> confidence
    n_chars = undecodable = dropped = 0
    for pno in range(count):
        read = _read_page(doc, pno, settings, warnings) if not ocr_dpi else _ocr_page(doc, pno, settings, ocr_dpi)
        pages.append(read.items)
        zones.append(read.zone)
        if read.confs:
            confs[pno + 1] = read.confs
        n_chars += read.chars
        undecodable += read.unmapped
        dropped += read.dropped
    dropped += _drop_running_lines(pages, zones)
    if n_chars < MIN_TEXT_CHARS:
        if repaired:
            raise CorruptFile("PDF 已损坏（交叉引用表损坏），没有可读取的文字")
        if undecodable >= MIN_TEXT_CHARS:
            raise ScannedDocument("文字层无法解码（字体缺少 Unicode 映射），请先做文字识别（OCR）")
        raise ScannedDocument("扫描件，没有文字层，请先做文字识别（OCR）")
    if repaired:
        warnings.append({"code": "pdf_repaired", "message": "PDF 已损坏并经过修复，部分内容可能缺失", "where": "file"})

    if ocr_dpi:
        warnings.append({"code": "ocr", "where": "file",
                         "message": f"扫描件，已做文字识别（OCR，{int(ocr_dpi)} dpi）；低置信度的单元格已标出，须人工核对"})
    flat = _stitch(pages)
    blocks = _blocks(flat, settings)
    prose_lines = [b for kind, b in blocks if kind == "line"]
    rows = _rows(blocks, prose_lines, confs)

    first_page = [it for _y, it in pages[0] if isinstance(it, Line)] if pages else []
    title, used = find_title(first_page)
    published = find_published(prose_lines, used)
    meta = {
        "pages": total,
        "pages_read": count,
        "page_numbers_dropped": dropped,
        "producer": (doc.metadata or {}).get("producer") or None,
        "creator": (doc.metadata or {}).get("creator") or None,
        "pdf_title": (doc.metadata or {}).get("title") or None,
    }
    if ocr_dpi:
        meta["ocr"] = True
    return Document(format="pdf", rows=rows, title=title, published=published, meta=meta, warnings=warnings)


@dataclass
class _Page:
    items: list[tuple[float, object]]  # (top y, Line | Grid) in reading order
    zone: tuple[float, float]
    chars: int
    unmapped: int
    dropped: int
    confs: dict[str, float] = field(default_factory=dict)  # OCR: cell or segment text -> confidence


def _read_page(doc, pno: int, settings: PdfSettings, warnings: list[dict]) -> _Page:
    """One page: ruled tables first, then the remaining characters as lines; page numbers dropped."""
    try:
        page = doc.load_page(pno)
        chars, unmapped = page_chars(page)
        hs, vs = page_rulings(page, settings) if settings.use_rulings else ([], [])
    except Exception as exc:  # a page whose content stream cannot be decoded
        raise CorruptFile(f"PDF 已损坏：第 {pno + 1} 页无法读取（{_short(exc)}）") from None
    # text and drawing positions are in the unrotated page; so must the margins be
    width, height = page.rect.width, page.rect.height
    if page.rotation in (90, 270):
        width, height = height, width
    return page_items(chars, hs, vs, pno, width, height, settings, warnings, unmapped)


def _ocr_page(doc, pno: int, settings: PdfSettings, dpi: float) -> _Page:
    """A page without text: its image recognised, then read like a page with text."""
    from PIL import Image

    from . import ocr

    try:
        pix = doc.load_page(pno).get_pixmap(dpi=int(dpi), colorspace=import_pymupdf().csRGB, alpha=False)
    except Exception as exc:
        raise CorruptFile(f"PDF 已损坏：第 {pno + 1} 页无法读取（{_short(exc)}）") from None
    img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    got = ocr.read_page(img, dpi)
    hs, vs = (got.hs, got.vs) if settings.use_rulings else ([], [])
    return page_items(list(got.chars), hs, vs, pno, got.width, got.height, settings, [], 0)


def page_items(chars: list, hs: list, vs: list, pno: int, width: float, height: float,
               settings: PdfSettings, warnings: list[dict], unmapped: int = 0) -> _Page:
    """Characters and rulings of one page, from its text layer or from OCR, as lines and grids."""
    n_chars = len(chars)
    items: list[tuple[float, object]] = []
    if len(hs) + len(vs) > settings.max_rulings:
        warnings.append({"code": "rulings_ignored", "where": f"page {pno + 1}",
                         "message": f"第 {pno + 1} 页有 {len(hs) + len(vs)} 条画线，表格改按文字位置读取"})
        hs, vs = [], []
    for grid in find_grids(hs, vs, pno + 1, settings):
        before = len(chars)
        rest = fill_grid(grid, chars, settings)
        if len(rest) < before and grid.rows() and not grid.coarse:  # type: ignore[attr-defined]
            chars = rest
            items.append((grid.ys[0], grid))
    stacks, chars = split_vertical_stacks(chars)
    lines = [make_line(group, pno + 1, settings) for group in group_lines(chars, settings)]
    lines += [stack_line(s, pno + 1) for s in stacks]
    dropped = 0
    for line in lines:
        if is_page_number(line, width, height, settings):
            dropped += 1
        else:
            items.append((line.y0, line))
    items.sort(key=lambda it: it[0])
    zone = (height * settings.margin_zone, height * (1 - settings.margin_zone))
    return _Page(items, zone, n_chars, unmapped, dropped, _confidences(items))


def _confidences(items: list[tuple[float, object]]) -> dict[str, float]:
    """Recognised text of a page's cells and line segments -> the lowest confidence it was read with."""
    out: dict[str, float] = {}

    def put(text: str, conf: float) -> None:
        text = text.strip()
        if text:
            out[text] = min(conf, out.get(text, 1.0))

    for _y, it in items:
        if isinstance(it, Line):
            for seg in it.segments:
                if seg.chars and hasattr(seg.chars[0], "conf"):
                    put(seg.text, min(ch.conf for ch in seg.chars))
        elif hasattr(it, "confs"):
            for key, conf in it.confs.items():  # type: ignore[attr-defined]
                put(it.texts.get(key, ""), conf)  # type: ignore[attr-defined]
    return out


def _drop_running_lines(pages: list[list[tuple[float, object]]], zones: list[tuple[float, float]]) -> int:
    """Remove running headers and footers: the same text in a page margin on most pages
    (an agency name, a document number), which would otherwise cut tables at page breaks."""
    if len(pages) < 3:
        return 0

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    seen: dict[str, int] = {}
    for items, (top, bottom) in zip(pages, zones):
        keys = {key(it) for _y, it in items if isinstance(it, Line) and (it.y1 <= top or it.y0 >= bottom)}
        for k in keys:
            seen[k] = seen.get(k, 0) + 1
    running = {k for k, n in seen.items() if n >= max(3, len(pages) // 2 + 1)}
    if not running:
        return 0
    removed = 0
    for n, (items, (top, bottom)) in enumerate(zip(pages, zones)):
        keep = []
        for y, it in items:
            if isinstance(it, Line) and (it.y1 <= top or it.y0 >= bottom) and key(it) in running:
                removed += 1
            else:
                keep.append((y, it))
        pages[n] = keep
    return removed


def _stitch(pages: list[list[tuple[float, object]]]) -> list[object]:
    """Give every line a document-wide position ``vy`` with page breaks closed up."""
    heights = sorted(it.height for items in pages for _y, it in items if isinstance(it, Line) and not it.vertical)
    unit = heights[len(heights) // 2] if heights else 10.0
    flat: list[object] = []
    bottom = 0.0
    for items in pages:
        if not items:
            continue
        offset = bottom + unit - items[0][0] if flat else 0.0
        for _y, it in items:
            if isinstance(it, Line):
                it.vy = it.y0 + offset
                bottom = max(bottom, it.y1 + offset)
            else:
                it.vy = it.ys[0] + offset  # type: ignore[attr-defined]
                bottom = max(bottom, it.ys[-1] + offset)
            flat.append(it)
    return flat


def _blocks(flat: list[object], settings: PdfSettings) -> list[tuple[str, object]]:
    """Split the flow into ("line", Line), ("grid", Grid) and ("stream", StreamTable) blocks."""
    out: list[tuple[str, object]] = []
    run: list[Line] = []
    all_lines = [it for it in flat if isinstance(it, Line) and not it.vertical]
    xs = sorted(l.x0 for l in all_lines) or [0.0]
    x1s = sorted(l.x1 for l in all_lines) or [1.0]
    body_width = max(x1s[int(0.9 * (len(x1s) - 1))] - xs[len(xs) // 10], 1.0)

    def flush() -> None:
        tables = find_tables(run, settings, body_width)
        k = 0
        for head, tail, table in tables:
            out.extend(("line", l) for l in run[k:head])
            out.append(("stream", table))
            k = tail + 1
        out.extend(("line", l) for l in run[k:])
        run.clear()

    for it in flat:
        if isinstance(it, Line):
            run.append(it)
        else:
            flush()
            out.append(("grid", it))
    flush()
    return out


def _confidence(confs: dict[int, dict[str, float]], page: int, text: str) -> float | None:
    """What OCR gave for a cell text of a page: its own confidence, else the lowest of the
    recognised pieces it was joined from (or cut out of)."""
    known = confs.get(page)
    if not known:
        return None
    text = text.strip()
    if text in known:
        return known[text]
    parts = [c for t, c in known.items() if t in text or text in t] if text else []
    return min(parts) if parts else None


def _rows(blocks: list[tuple[str, object]], lines: list[Line], confs: dict[int, dict[str, float]] | None = None) -> list[Row]:
    confs = confs or {}

    def cell(text: str, where: str, page: int) -> Cell:
        return Cell(text, where, _confidence(confs, page, text)) if confs else Cell(text, where)

    rows: list[Row] = []
    index = -1
    prev_table: tuple[str, object] | None = None
    para: list[Line] = []
    left, right = _margins(lines)

    def end_paragraph() -> None:
        if para:
            text = join_lines([l.text for l in para])
            where = f"page {para[0].page}"
            rows.append(Row(cells=[Cell(text, where)], where=where))
            para.clear()

    for kind, block in blocks:
        if kind == "line":
            line: Line = block  # type: ignore[assignment]
            if para and _continues(para[-1], line, left, right):
                para.append(line)
            else:
                end_paragraph()
                para.append(line)
            prev_table = None
            continue
        end_paragraph()
        if not (prev_table is not None and _continues_table(prev_table, (kind, block))):
            index += 1
        prev_table = (kind, block)
        if kind == "grid":
            grid: Grid = block  # type: ignore[assignment]
            where = f"page {grid.page}"
            for texts in grid.rows():
                rows.append(Row(cells=[cell(t, where, grid.page) for t in texts], where=where, in_table=True,
                                table_index=index))
        else:
            table: StreamTable = block  # type: ignore[assignment]
            for texts, page in table.rows:
                where = f"page {page}"
                rows.append(Row(cells=[cell(t, where, page) for t in texts], where=where, in_table=True,
                                table_index=index))
    end_paragraph()
    return rows


def _margins(lines: list[Line]) -> tuple[float, float]:
    """Left and right edges of the body text: where full lines of a paragraph begin and end."""
    flat = [l for l in lines if not l.vertical]
    if not flat:
        return 0.0, 0.0
    x1s = sorted(l.x1 for l in flat)
    right = x1s[int(0.9 * (len(x1s) - 1))]
    full = sorted(l.x0 for l in flat if l.x1 >= right - 2.0 * l.size)
    left = full[0] if full else sorted(l.x0 for l in flat)[0]
    return left, right


def _continues(prev: Line, line: Line, left: float, right: float) -> bool:
    """Whether ``line`` carries on the paragraph that ``prev`` ends: prev runs to the right
    margin, line starts at the left margin without indent, and nothing but line spacing parts them."""
    if prev.vertical or line.vertical or len(line.segments) > 1 or len(prev.segments) > 1:
        return False
    size = max(prev.size, line.size)
    return (
        prev.x1 >= right - 2.0 * size
        and abs(line.x0 - left) <= 0.6 * size
        and 0 <= line.vy - (prev.vy + prev.height) <= 1.2 * size
    )


def _continues_table(prev: tuple[str, object], nxt: tuple[str, object]) -> bool:
    """A table right after another one, on a later page, with the same columns, goes on."""
    (pk, pb), (nk, nb) = prev, nxt
    last_page = pb.page if pk == "grid" else pb.last_page  # type: ignore[attr-defined]
    first_page = nb.page if nk == "grid" else nb.first_page  # type: ignore[attr-defined]
    if first_page <= last_page:
        return False
    if pk == "grid" and nk == "grid":
        return same_columns(pb, nb)  # type: ignore[arg-type]
    return True
