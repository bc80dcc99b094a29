"""Plain text and Markdown: lines to rows, splitting pipe and tab tables into cells.

A line is one row. Pipe rows (``| a | b |``) and tab-separated rows become table rows with one
cell per field, blank fields kept; Markdown separator lines (``|---|``) are dropped. A line that
is only ``|`` stands for a blank cell in one-value-per-line layouts. Everything else is a row with
one cell; space-separated numbers inside it are left to the assembler.
"""

from __future__ import annotations

import re

from ..detect import decode_text
from ..document import Cell, Document, Row
from ..formats import MARKDOWN, by_suffix

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BARE_PIPES = re.compile(r"^\s*\|+\s*$")
_HEADER_FIELD = re.compile(r"^(标题|发布时间|发布日期|发文日期|成文日期|文号|发布机构|来源|栏目|原文链接|本地目录)\s*[:：]\s*(.*)$")
_BODY_MARK = re.compile(r"^=+\s*正文\s*=+$")
_MD_MARKUP = re.compile(r"^\s{0,3}#{1,6}\s+|\*\*|__")
_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def load(data: bytes, name: str) -> Document:
    text, encoding = decode_text(data)
    is_markdown = by_suffix(name) is MARKDOWN
    rows: list[Row] = []
    meta: dict = {"encoding": encoding}
    title = published = None
    page = 1
    header_zone = True  # a crawler's "key: value" block may precede the body
    lines = []
    for number, physical in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        for k, piece in enumerate(physical.split("\f")):
            page += 1 if k else 0  # a form feed is a page break, possibly mid-line
            lines.append((number, page, piece))
    for number, page_no, line in lines:
        line = line.replace("\u3000", " ").replace("\xa0", " ")
        where = f"line {number}" + (f", page {page_no}" if page_no > 1 else "")
        stripped = line.strip()
        if header_zone:
            m = _HEADER_FIELD.match(stripped)
            if m:
                key, value = m.group(1), m.group(2).strip()
                meta[key] = value
                if key == "标题" and value:
                    title = value
                elif key in ("发布时间", "发布日期", "发文日期", "成文日期") and value and not published:
                    published = _iso_date(value)
                continue
            if _BODY_MARK.match(stripped):
                header_zone = False
                continue
            if stripped and not stripped.startswith(("页面链接", "http")):
                header_zone = False
            else:
                continue
        if not stripped:
            continue
        if _SEPARATOR.match(stripped) and "-" in stripped:
            continue
        if _BARE_PIPES.match(stripped):
            rows.append(Row([Cell("", where)], where, in_table=True))
            continue
        if stripped.startswith("|") or (is_markdown and stripped.count("|") >= 2):
            fields = stripped.strip()
            if fields.startswith("|"):
                fields = fields[1:]
            if fields.endswith("|"):
                fields = fields[:-1]
            cells = [Cell(_clean(f), where) for f in fields.split("|")]
            rows.append(Row(cells, where, in_table=True))
            continue
        if "\t" in line:
            cells = [Cell(_clean(f), where) for f in line.rstrip("\n").split("\t")]
            rows.append(Row(cells, where, in_table=True))
            continue
        rows.append(Row([Cell(_clean(line), where)], where))
    fmt = "markdown" if is_markdown else "text"
    return Document(format=fmt, rows=rows, title=title, published=published, meta=meta)


def _clean(field: str) -> str:
    return _MD_MARKUP.sub("", field).strip()


def _iso_date(value: str) -> str | None:
    m = _DATE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
