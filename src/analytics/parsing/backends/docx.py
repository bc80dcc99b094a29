"""DOCX backend: word/document.xml read directly with lxml, paragraphs and tables in body order.

Merged cells become spans for ``grid.table_rows``: ``w:gridSpan`` is a colspan, a ``w:vMerge``
restart cell grows a rowspan over the continuation cells below it (which are dropped, as HTML
never has them), and ``w:gridBefore`` shifts a row's first cell.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from itertools import islice

from lxml import etree

from ...errors import CorruptFile, EncryptedFile, TooLarge
from ..document import Cell, Document, Row
from .grid import SpanCell, table_rows
from .html_meta import clean_title, date_from_text, looks_like_title
from .html_text import clean

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024  # small parts compress absurdly well (styles, blank XML); only big ones count

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_TEXT_TAGS = (W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "vanish")
_WRAPPERS = (W + "sdt", W + "customXml", W + "smartTag")  # content controls around blocks, rows, cells
_TC_PR, _GRID_SPAN, _V_MERGE, _H_MERGE, _VAL = (W + "tcPr", W + "gridSpan", W + "vMerge", W + "hMerge", W + "val")
_P, _TBL, _TR, _TC, _ALT_CHUNK = W + "p", W + "tbl", W + "tr", W + "tc", W + "altChunk"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


def load(data: bytes, name: str = "", fmt: str = "docx") -> Document:
    xml, core, chunks = _open_package(data)
    try:
        root = etree.fromstring(xml, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"Word 文档已损坏（word/document.xml：{exc}）") from None
    for fallback in list(root.iter(_MC_FALLBACK)):  # the same drawing twice: keep the preferred choice
        fallback.getparent().remove(fallback)
    body = root.find(W + "body")
    if body is None:
        raise CorruptFile("Word 文档已损坏（没有正文部分）")
    walker = _Walker(chunks)
    walker.blocks(body)
    rows = walker.rows

    title = next((r.cells[0].text for r in rows[:8] if not r.in_table and looks_like_title(r.cells[0].text)), None)
    if not title and core is not None:
        title = _core_title(core)
    prose = "\n".join(r.cells[0].text for r in rows if not r.in_table)
    return Document(format=fmt, rows=rows, title=title, published=date_from_text(prose),
                    meta={"tables": walker.tables})


def _open_package(data: bytes) -> tuple[bytes, bytes | None, dict[str, bytes]]:
    """The main document part, docProps/core.xml and the parts embedded by w:altChunk (by
    relationship id), after checking the zip's declared sizes."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise CorruptFile(f"不是有效的 .docx（zip 压缩包已损坏：{exc}）") from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise TooLarge(f".docx 解压后有 {total // (1024 * 1024)} MiB，超过 {MAX_UNCOMPRESSED // (1024 * 1024)} MiB 的上限")
        for info in infos:
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise CorruptFile(f".docx 中的 {info.filename} 解压后膨胀 {info.file_size // max(info.compress_size, 1)} 倍（疑似 zip 炸弹）")
        names = {i.filename for i in infos}
        main = _main_part(z, names)
        if main is None:
            raise CorruptFile("不是 Word 文档（zip 压缩包中没有 word/document.xml）")
        xml = _read(z, main)
        core = _read(z, "docProps/core.xml") if "docProps/core.xml" in names else None
        chunks = _alt_chunks(z, names, main) if b"altChunk" in xml else {}
    return xml, core, chunks


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The officeDocument target of _rels/.rels (some writers do not call it word/document.xml)."""
    if "_rels/.rels" in names:
        try:
            rels = etree.fromstring(_read(z, "_rels/.rels"), _xml_parser())
            for rel in rels.iter(_REL):
                if rel.get("Type") == _OFFICE_DOC:
                    target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if target in names:
                        return target
        except etree.XMLSyntaxError:
            pass
    return "word/document.xml" if "word/document.xml" in names else None


def _relationships(z: zipfile.ZipFile, names: set[str], part: str) -> list[tuple[str, str, str]]:
    """``(id, type, target path)`` of a part's relationships."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
        return []
    try:
        rels = etree.fromstring(_read(z, rels_name), _xml_parser())
    except etree.XMLSyntaxError:
        return []
    found = []
    for rel in rels.iter(_REL):
        target = rel.get("Target", "")
        path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
        found.append((rel.get("Id", ""), rel.get("Type", ""), path))
    return found


def _alt_chunks(z: zipfile.ZipFile, names: set[str], main: str) -> dict[str, bytes]:
    """Web pages that generators embed whole (w:altChunk) instead of writing Word paragraphs."""
    return {rid: _read(z, path) for rid, kind, path in _relationships(z, names, main)
            if kind.endswith("/aFChunk") and path in names}


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        return z.read(name)
    except RuntimeError as exc:  # zipfile says "encrypted" for password-protected entries
        raise EncryptedFile(f".docx 有密码保护（{exc}）") from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
        raise CorruptFile(f".docx 已损坏（{name}：{exc}）") from None


def _core_title(core: bytes) -> str | None:
    try:
        el = etree.fromstring(core, _xml_parser()).find(_DC_TITLE)
    except etree.XMLSyntaxError:
        return None
    text = clean(el.text or "") if el is not None else ""
    return clean_title(text) if text and looks_like_title(text) else None


def _unwrap(children):
    """Children with content-control wrappers (w:sdt/w:customXml) opened up, in order."""
    if not any(child.tag in _WRAPPERS for child in children):
        return children
    return _unwrapped(children)


def _unwrapped(children):
    for child in children:
        tag = child.tag
        if tag in _WRAPPERS:
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                yield from _unwrapped(content)
        else:
            yield child


def _paragraph_lines(p) -> list[str]:
    """A paragraph's text, split at line breaks; deleted and hidden runs are left out."""
    lines = [""]
    hidden_runs = set()
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == W + "vanish":
            if el.get(W + "val") not in ("0", "false"):
                run = el.getparent().getparent()  # w:vanish sits in w:rPr inside w:r
                hidden_runs.add(run)
            continue
        if hidden_runs and el.getparent() in hidden_runs:
            continue
        if tag == W + "t":
            lines[-1] += el.text or ""
        elif tag == W + "tab":
            if el.getparent().tag == W + "r":  # not a tab stop definition in w:pPr
                lines[-1] += " "
        elif tag == W + "noBreakHyphen":
            lines[-1] += "-"
        else:
            lines.append("")
    return lines


def _merge_marks(tc) -> tuple[int, str | None, str | None]:
    """``(gridSpan, vMerge, hMerge)`` of a cell; a merge mark without a value means "continue"."""
    span, vmerge, hmerge = 1, None, None
    tc_pr = tc[0] if len(tc) else None  # the schema puts w:tcPr first
    if tc_pr is not None and tc_pr.tag == _TC_PR:
        for el in tc_pr:
            tag = el.tag
            if tag == _GRID_SPAN:
                span = max(_int(el.get(_VAL)), 1)
            elif tag == _V_MERGE:
                vmerge = el.get(_VAL, "continue")
            elif tag == _H_MERGE:
                hmerge = el.get(_VAL, "continue")
    return span, vmerge, hmerge


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value), 0) if value is not None else default
    except ValueError:
        return default


class _Walker:
    def __init__(self, chunks: dict[str, bytes]):
        self.chunks = chunks
        self.rows: list[Row] = []
        self.tables = 0

    def _prose(self, text: str) -> None:
        text = clean(text)
        if text:
            where = f"paragraph {len(self.rows) + 1}"
            self.rows.append(Row([Cell(text, where)], where))

    def blocks(self, parent) -> None:
        for child in _unwrap(parent):
            if child.tag == _P:
                for line in _paragraph_lines(child):
                    self._prose(line)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _ALT_CHUNK:
                self.alt_chunk(child)

    def alt_chunk(self, el) -> None:
        data = self.chunks.get(el.get(_R_ID, ""))
        if not data:
            return
        from . import html  # an embedded web page (or .mht) reads like any other page

        page = html.load(data, first_table=self.tables)
        for row in page.rows:
            if row.in_table:
                self.rows.append(row)
            else:
                self._prose(row.cells[0].text)  # numbered as this document's paragraphs
        self.tables += page.meta.get("tables", 0)

    def table(self, tbl) -> None:
        trs = [c for c in _unwrap(tbl) if c.tag == _TR]
        nested = next(islice(tbl.iter(_TBL), 1, None), None) is not None
        if nested or (len(trs) == 1 and sum(1 for c in _unwrap(trs[0]) if c.tag == _TC) == 1):
            # A table holding tables, or a single framed cell, lays out the page: read its cells
            # as ordinary content.
            for tr in trs:
                for tc in _unwrap(tr):
                    if tc.tag == _TC:
                        self.blocks(tc)
            return
        grid: list[list[SpanCell]] = []
        open_merges: dict[int, SpanCell] = {}  # column -> the vMerge restart cell still growing
        for tr in trs:
            cells: list[SpanCell] = []
            before = tr.find(f"{W}trPr/{W}gridBefore")
            col = _int(before.get(W + "val") if before is not None else None, 0)
            for tc in _unwrap(tr):
                if tc.tag != _TC:
                    continue
                span, vmerge, hmerge = _merge_marks(tc)
                if hmerge == "continue" and cells:
                    cells[-1].colspan += span  # legacy horizontal merge: part of the cell before
                    col += span
                    continue
                above = open_merges.get(col)
                if vmerge == "continue" and above is not None:
                    above.rowspan += 1
                    col += span
                    continue
                cell = SpanCell(_cell_text(tc), 1, span, col)
                for c in range(col, col + span):
                    open_merges.pop(c, None)
                if vmerge == "restart":
                    open_merges[col] = cell
                cells.append(cell)
                col += span
            grid.append(cells)
        rows = table_rows(grid, self.tables)
        if rows:
            self.rows.extend(rows)
            self.tables += 1


def _cell_text(tc) -> str:
    lines: list[str] = []
    for child in _unwrap(tc):
        if child.tag == _P:
            lines.extend(_paragraph_lines(child))
        elif child.tag == _TBL:
            lines.extend("".join(t.text or "" for t in child.iter(W + "t")).splitlines())
    return clean("\n".join(lines))
