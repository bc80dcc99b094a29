"""The evaluation as a Word document (python-docx), in the rectification notice's plain style:
text from documents written as plain runs (``notice.plain``), every figure followed by the
number of the note that names its query and filters."""

from __future__ import annotations

import io
from pathlib import Path

from ..notice import plain
from .model import TIERS, Chart, Evaluation, Figure, Para, Section, Table

FONT = "Noto Sans CJK SC"  # what LibreOffice finds and embeds when it prints the PDF


def _fonts(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    doc.styles["Normal"].font.size = Pt(10.5)
    # Table text is sized by the table style once, not run by run (a province has ~20,000 cells).
    doc.styles["Table Grid"].font.size = Pt(8)


def _para(doc, para: Para):
    p = doc.add_paragraph()
    for part in para.parts:
        if isinstance(part, Figure):
            p.add_run(part.text())
            ref = p.add_run(f"[{part.note}]")
            ref.font.superscript = True
        else:
            p.add_run(plain(part))
    return p


def _table(doc, table: Table) -> None:
    caption = doc.add_paragraph()
    caption.add_run(plain(table.title)).bold = True
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, table.header):
        cell.text = plain(text)
    for row in table.rows:
        for cell, value in zip(t.add_row().cells, row):
            cell.text = value.text() if isinstance(value, Figure) else plain(value)
    _widths(t, table)
    notes = sorted({v.note for row in table.rows for v in row if isinstance(v, Figure)})
    text = " ".join(x for x in (table.note, ("数据：" + "".join(f"[{n}]" for n in notes)) if notes else "") if x)
    if text:
        doc.add_paragraph(plain(f"注：{text}"))


def _widths(t, table: Table, total_cm: float = 16.0) -> None:
    """Column widths by the longest text a column holds (square-rooted, so long definitions get
    room without starving the figures); LibreOffice and Word both read the table grid."""
    from docx.shared import Cm

    def length(v) -> int:
        return len(v.text() if isinstance(v, Figure) else str(v))

    longest = [max([len(h)] + [length(r[i]) for r in table.rows if i < len(r)]) for i, h in enumerate(table.header)]
    weights = [max(2, n) ** 0.5 for n in longest]
    t.autofit = False
    for col, w in zip(t.columns, weights):
        col.width = Cm(total_cm * w / sum(weights))


def _chart(doc, chart: Chart) -> None:
    from docx.shared import Cm

    caption = doc.add_paragraph()
    caption.add_run(plain(chart.title)).bold = True
    doc.add_picture(io.BytesIO(chart.png), width=Cm(15))
    doc.add_paragraph(plain(chart.caption))


def _section(doc, section: Section, level: int) -> None:
    doc.add_heading(plain(section.title), level=level)
    for block in section.blocks:
        if isinstance(block, Para):
            _para(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, Section):
            _section(doc, block, min(level + 1, 3))


def write_docx(ev: Evaluation, out: Path) -> Path:
    from docx import Document

    doc = Document()
    _fonts(doc)
    doc.core_properties.title = ev.title
    doc.core_properties.language = "zh-CN"
    doc.add_heading(plain(ev.title), level=0)
    tier = TIERS.get(ev.tier, ev.tier)
    doc.add_paragraph(plain(f"评估范围：{ev.region}（{tier}）全部机构；报告年度：{ev.year}；"
                            f"生成日期：{ev.generated:%Y年%m月%d日}。本报告由数据仓库按固定公式生成，未经人工改写。"))
    for section in ev.sections:
        _section(doc, section, 1)
    doc.add_heading("注释（各数字的查询与筛选条件）", level=1)
    for n, text in ev.note_texts():
        doc.add_paragraph(plain(f"[{n}] {text}"))
    out = Path(out)
    doc.save(out)
    return out
