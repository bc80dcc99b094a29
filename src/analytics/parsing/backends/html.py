"""HTML backend: a web page (whole CMS page or pasted fragment) to the IR.

    doc = load(data, "report.html")

Prose becomes one-cell rows in reading order (a <br> ends a line); each data table becomes
``in_table`` rows built by ``grid.table_rows`` from the table's own rowspan/colspan geometry.
"""

from __future__ import annotations

import re

from lxml import etree

from ...errors import CorruptFile
from ..document import Cell, Document, Row
from . import html_article as art
from . import html_images
from .html_settings import DEFAULT, HtmlSettings
from .grid import SpanCell, table_rows
from .html_mime import html_part, is_mime_page
from .html_meta import clean_title, date_from_meta, date_from_text, looks_like_title, title_from_meta
from .html_text import clean, decode_page, refuse_binary

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main blockquote center address "
    "figure figcaption fieldset legend hr caption details summary body html tr td th".split()
)
_SPAN = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INLINE_TAG = re.compile(rb"</?(?:font|span|b|i|u|strong|em|small|big|sup|sub|o:p|a)(?:\s[^>]*)?>", re.I)


def load(data: bytes, name: str = "", first_table: int = 0, settings: HtmlSettings = DEFAULT) -> Document:
    """``first_table`` numbers the page's tables after those of an enclosing document (DOCX altChunk)."""
    if is_mime_page(data):
        page = html_part(data)
        if page is None:
            raise CorruptFile("MIME 网页存档（.mht）中没有 HTML 网页")
        data = page
    text, encoding = decode_page(data)
    refuse_binary(text)
    if not text.strip():
        return Document(format="html", rows=[], meta={"encoding": encoding})
    # libxml2 gets UTF-8 bytes and is told so, whatever the page's own <meta> claims.
    markup = data if encoding == "utf-8" and b"\x00" not in data else text.replace("\x00", "").encode("utf-8")
    root = _parse(markup)
    if root is None:
        return Document(format="html", rows=[], meta={"encoding": encoding})
    metas = _metas(root)
    art.strip_non_content(root)
    body = root.find(".//body")
    if body is None:
        body = root
    page_text = art.text_of(body)
    tables = art.data_tables(body)
    article = art.find_article(body, tables, page_text)
    walker = _Walker(art.keep_ancestors(tables), first_table)
    walker.walk(article)
    walker.flush()
    rows = walker.rows
    warnings: list[dict] = []
    ocr_read = 0
    if walker.images and html_images.needed(rows):
        rows, warnings, ocr_read = html_images.recognise(rows, walker.images, name, walker.tables, settings.folder)

    title = _title(root, metas, rows)
    published = date_from_meta(metas) or date_from_text(page_text)
    meta = {"encoding": encoding, "tables": walker.tables - first_table}
    if article.tag != "body":
        meta["article"] = _describe(article)
    if ocr_read:
        meta["ocr"] = True
        meta["ocr_images"] = ocr_read
    return Document(format="html", rows=rows, title=title, published=published, meta=meta, warnings=warnings)


def _parse(markup: bytes):
    """libxml2's tree of the page. Past its nesting limit libxml2 silently drops the rest of the
    page; broken pages get there with thousands of unclosed <font>/<span>, so those are dropped
    (they carry no structure) and the page is parsed again."""
    for attempt in (markup, None):
        if attempt is None:
            attempt = _INLINE_TAG.sub(b"", markup)
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
        try:
            root = etree.fromstring(attempt, parser=parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            raise CorruptFile(f"无法解析 HTML（{exc}）") from None
        if not any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            return root
    raise CorruptFile("HTML 嵌套层数过多，无法读取")


def _title(root, metas: dict[str, str], rows: list[Row]) -> str | None:
    """The report's name: a title <meta>, a page heading, <title>, the article's first lines.

    A candidate must name a report (报告); a site logo in <h1> or a bare site name in <title> only
    serve when nothing better is there.
    """
    head = root.find(".//title")
    head_title = clean_title(art.text_of(head)) if head is not None else None
    headings = [clean(art.text_of(h)) for tag in ("h1", "h2", "h3") for h in root.iter(tag)]
    candidates = [title_from_meta(metas), *headings, head_title]
    candidates += [r.cells[0].text for r in rows[:8] if not r.in_table]
    for text in candidates:
        if text and looks_like_title(text):
            return text
    return head_title or next((h for h in headings if h), None)


def _metas(root) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and key not in found:
            found[key] = content.strip()
    return found


def _describe(el) -> str:
    marks = " ".join(x for x in (el.get("id"), el.get("class")) if x)
    return f"<{el.tag}{' ' + marks if marks else ''}>"


def _span(value: str | None) -> int:
    if not value:
        return 1
    m = _SPAN.search(value)
    if not m:
        return 1
    n = int(m.group(0))
    return n if n > 0 else 10**6  # rowspan="0" spans to the end of the table section


class _Walker:
    """Reading order walk: inline text accumulates into a line, blocks and <br> end it."""

    def __init__(self, keep: set, first_table: int = 0):
        self.keep = keep
        self.rows: list[Row] = []
        self.buf: list[str] = []
        self.tables = first_table
        self.images: list[tuple[int, str]] = []  # (row position, src) of each <img>

    def flush(self) -> None:
        if not self.buf:
            return
        text = clean("".join(self.buf))
        self.buf = []
        if text:
            where = f"paragraph {len(self.rows) + 1}"
            self.rows.append(Row([Cell(text, where)], where))

    def walk(self, root) -> None:
        # An explicit stack, not recursion: broken pages nest thousands of unclosed <font>/<span>.
        stack: list = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.buf.append(item)
                continue
            if isinstance(item, tuple):  # the end of a block element
                self.flush()
                continue
            el = item
            tag = el.tag
            if not isinstance(tag, str) or tag in art.SKIP_TAGS or art.is_furniture(el, self.keep):
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "img":
                # a table published as a picture may stand here (html_images)
                self.flush()
                self.images.append((len(self.rows), el.get("src") or ""))
                continue
            if tag == "table":
                self.flush()
                self.table(el)
                continue
            if tag == "pre":
                self.flush()
                self.preformatted(el)
                continue
            if tag in BLOCK_TAGS:
                self.flush()
                stack.append((el,))
            for child in reversed(el):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)
            if el.text:
                stack.append(el.text)

    def preformatted(self, el) -> None:
        """<pre> keeps its line breaks and runs of spaces: they may be a text table's columns."""
        for line in art.text_of(el).splitlines():
            line = line.replace("\xa0", " ").strip()
            if line:
                where = f"paragraph {len(self.rows) + 1}"
                self.rows.append(Row([Cell(line, where)], where))

    def table(self, table) -> None:
        trs = art.table_rows(table)
        caption = table.find("caption")
        if caption is not None:
            self.walk(caption)
        if art.is_layout_table(table) or not trs:
            for tr in trs:
                for td in art.row_cells(tr):
                    self.walk(td)
                    self.flush()
            return
        _mark_breaks(table)
        grid = []
        for tr in trs:
            cells = []
            for td in art.row_cells(tr):
                rs, cs = td.get("rowspan"), td.get("colspan")
                cells.append(SpanCell(_cell_text(td), 1 if rs is None else _span(rs), 1 if cs is None else _span(cs)))
            grid.append(cells)
        rows = table_rows(grid, self.tables)
        if rows:
            self.rows.extend(rows)
            self.tables += 1


def _mark_breaks(table) -> None:
    """Put a newline at every <br> and paragraph edge inside the table's cells, so that a cell's
    text can be taken in one piece; ``clean`` then drops the breaks between Chinese characters."""
    for el in table.iter("br", "p", "div", "li"):
        el.tail = "\n" + _xml_safe(el.tail) if el.tail else "\n"
        if el.tag != "br":
            el.text = "\n" + _xml_safe(el.text) if el.text else "\n"


def _xml_safe(text: str) -> str:
    # libxml2 keeps stray control bytes from a damaged page, but lxml refuses them on assignment.
    return _CONTROL.sub("", text)


def _cell_text(td) -> str:
    # Most cells (the figures) have no child elements: their text is the element's own, without
    # serialising the element.
    return clean(art.text_of(td) if len(td) else td.text or "")
