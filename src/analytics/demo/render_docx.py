"""DOCX as an office saves it: headings and paragraphs, ruled tables with merged cells.

The package is written part by part (content types, relationships, styles, body) rather than
through python-docx's object model: building each table cell by cell there took about 300 ms a
report, and its default template adds 800 KB of styles to every file. python-docx reads the
result back (the tests check that).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import numpy as np

from . import layout, prose
from .report import Report

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_RPR = '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312"/>{extra}</w:rPr>'
_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = {
    "[Content_Types].xml": _XML + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"),
    "_rels/.rels": _XML + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/></Relationships>'),
    "word/_rels/document.xml.rels": _XML + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'),
    "word/styles.xml": _XML + (
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体"/>'
        '<w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>'
        f"<w:tblBorders>{_BORDERS}</w:tblBorders></w:tblPr></w:style></w:styles>"),
}


def _run(text: str, bold: bool = False, size: int | None = None) -> str:
    extra = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>' if size else "")
    return f'<w:r>{_RPR.format(extra=extra)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, align: str | None = None, bold: bool = False, size: int | None = None) -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    return f"<w:p>{ppr}{_run(text, bold, size) if text else ''}</w:p>"


def _table(grid: layout.Grid, width: int = 9000) -> str:
    n_cols = layout.n_columns(grid)
    col_w = width // n_cols
    origin = {(r, c): cell for r, c, cell in layout.placed(grid)}
    # Positions covered by a vertical span continue it (vMerge) in the rows below.
    below: dict[tuple[int, int], layout.GridCell] = {}
    for (r, c), cell in origin.items():
        for dr in range(1, cell.rowspan):
            below[(r + dr, c)] = cell
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width}" w:type="dxa"/>'
           f"<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"]
    out += [f'<w:gridCol w:w="{col_w}"/>'] * n_cols
    out.append("</w:tblGrid>")
    for r in range(len(grid)):
        out.append("<w:tr>")
        c = 0
        while c < n_cols:
            cell = origin.get((r, c)) or below.get((r, c))
            if cell is None:
                c += 1
                continue
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if (r, c) in origin:
                vmerge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
                body = _para(cell.text, None if cell.label else "center")
            else:
                vmerge, body = "<w:vMerge/>", "<w:p/>"
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{col_w * cell.colspan}" w:type="dxa"/>{span}{vmerge}'
                       f'<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>')
            c += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(report: Report) -> str:
    h = prose.headings(report)
    s = report.sections
    body = [_para(prose.title(report), "center", True, 18), _para(s["preface"]), _para(h[0], bold=True)]
    body += [_para(line) for line in s["overview"].split("\n")]
    for i, grid in enumerate((layout.table2(report), layout.table3(report), layout.table4(report))):
        body.append(_para(h[i + 1], bold=True))
        if report.style.table_captions:
            body.append(_para(f"表{i + 1}", "center"))
        body.append(_table(grid))
        body.append("<w:p/>")
    body += [_para(h[4], bold=True), _para(s["problems"]), _para(h[5], bold=True), _para(s["other_matters"])]
    body += [_para(line, "right") for line in prose.signature(report)]
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1300" w:bottom="1440" '
            'w:left="1300" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
    return (f'{_XML}<w:document {_NS}><w:body>'
            f'{"".join(body)}{sect}</w:body></w:document>')


def _zip_time(report: Report) -> tuple[int, int, int, int, int, int]:
    y, m, d = (int(x) for x in report.published.split("-"))
    return (y, m, d, 9, 0, 0)


def render(report: Report, rng: np.random.Generator) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        parts = {**_PACKAGE, "word/document.xml": document_xml(report), "docProps/core.xml": _core(report)}
        for name, text in parts.items():
            # A fixed timestamp keeps the corpus byte-identical for a seed.
            z.writestr(zipfile.ZipInfo(name, date_time=_zip_time(report)), text, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _core(report: Report) -> str:
    return (_XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(prose.title(report))}</dc:title><dc:creator>{escape(report.agency.name)}</dc:creator>"
            "</cp:coreProperties>")
