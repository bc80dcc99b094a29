"""PDF as an office exports it: A4 pages, a CJK font, fully ruled tables, page numbers in the footer."""

from __future__ import annotations

import io

import numpy as np
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import layout, prose
from .report import Report

FONT = "STSong-Light"
_registered = False


def _styles():
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=1, spaceAfter=12,
                                wordWrap="CJK"),
        "body": body,
        "heading": ParagraphStyle("heading", parent=body, firstLineIndent=0, spaceBefore=6),
        "right": ParagraphStyle("right", parent=body, alignment=2, firstLineIndent=0),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9, wordWrap="CJK"),
        "center": ParagraphStyle("center", fontName=FONT, fontSize=7.5, leading=9, alignment=1, wordWrap="CJK"),
    }


_WIDTHS = {
    2: [5.0 * cm, 4.0 * cm, 4.0 * cm, 4.0 * cm],
    3: [0.9 * cm, 2.0 * cm, 5.0 * cm] + [1.3 * cm] * 7,
    4: [1.2 * cm] * 15,
}


def _table(grid: layout.Grid, st: dict, widths: list[float]) -> Table:
    n_cols = layout.n_columns(grid)
    data = [["" for _ in range(n_cols)] for _ in grid]
    spans = []
    for r, c, cell in layout.placed(grid):
        if cell.label:
            data[r][c] = Paragraph(cell.text, st["cell"] if len(cell.text) > 8 else st["center"])
        else:
            data[r][c] = cell.text
        if cell.rowspan > 1 or cell.colspan > 1:
            spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    table = Table(data, colWidths=widths, repeatRows=0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]))
    return table


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"— {doc.page} —")
    canvas.restoreState()


def render(report: Report, rng: np.random.Generator) -> bytes:
    st = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=prose.title(report), author=report.agency.name,
                            invariant=1)
    h = prose.headings(report)
    s = report.sections
    story = [Paragraph(prose.title(report), st["title"]), Paragraph(s["preface"], st["body"]),
             Paragraph(h[0], st["heading"])]
    story += [Paragraph(line, st["body"]) for line in s["overview"].split("\n")]
    for i, grid in enumerate((layout.table2(report), layout.table3(report), layout.table4(report))):
        story.append(Paragraph(h[i + 1], st["heading"]))
        if report.style.table_captions:
            story.append(Paragraph(f"表{i + 1}", st["right"]))
        story += [Spacer(1, 4), _table(grid, st, _WIDTHS[i + 2]), Spacer(1, 6)]
    story += [Paragraph(h[4], st["heading"]), Paragraph(s["problems"], st["body"]),
              Paragraph(h[5], st["heading"]), Paragraph(s["other_matters"], st["body"]), Spacer(1, 12)]
    story += [Paragraph(line, st["right"]) for line in prose.signature(report)]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()
