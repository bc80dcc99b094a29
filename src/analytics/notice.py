"""Rectification notices (整改通知 / 问题清单): for each agency with confirmed findings of a year,
a Word document to send and a workbook the agency fills in, both listing each problem with its
rule, severity, the published figures involved and what the rule expects, and empty 答复 /
整改情况 columns.

Texts that come from the documents (agency names, raw cell text, messages) are written as plain
text: in the workbook as text cells that a spreadsheet never evaluates (``cell_safety``), in the
Word document as plain runs, with the control characters XML cannot hold made visible.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import ReportError
from .rules import SEVERITY_ZH, description_zh, name_zh
from .warehouse.review import ACTIVE

FORMATS = ("docx", "xlsx")
ITEM_HEADER = ("序号", "规则代码", "规则名称", "级别", "问题说明", "涉及数据", "规则要求", "答复", "整改情况", "发现指纹")
FIGURE_HEADER = ("序号", "规则代码", "报告年度", "表", "项目", "栏目", "数值", "原文", "出处")
# Characters XML 1.0 cannot hold: shown as their visible control picture (U+2400 + code).
_CONTROLS = {c: 0x2400 + c for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass
class Figure:
    year: int
    table_zh: str
    row_label: str
    col_label: str
    value: float | None
    raw: str | None
    kind: str
    src: str | None

    def label(self) -> str:
        return f"{self.table_zh}“{self.row_label}”" + (f"（{self.col_label}）" if self.col_label else "")

    def value_text(self) -> str:
        if self.value is None:
            return "空" if self.kind in ("blank", "number") or not self.raw else self.raw
        return fmt_num(self.value)


@dataclass
class Item:
    fingerprint: str
    rule: str
    severity: str
    year: int
    message: str
    status: str
    figures: list[Figure] = field(default_factory=list)

    @property
    def rule_name(self) -> str:
        return name_zh(self.rule)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH.get(self.severity, self.severity)

    @property
    def expects(self) -> str:
        return description_zh(self.rule)

    def figures_text(self) -> str:
        if not self.figures:
            return "（见问题说明）"
        return "；".join((f"{f.year}年报告" if f.year != self.year else "") + f"{f.label()}：{f.value_text()}"
                        for f in self.figures)


@dataclass
class AgencyNotice:
    agency_id: str
    agency_name: str
    year: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    archive: Path | None = None
    notices: list[AgencyNotice] = field(default_factory=list)
    marked: int = 0


def fmt_num(x: float) -> str:
    """21 rather than 21.0; decimals kept (as the findings' messages write numbers)."""
    return str(int(x)) if float(x).is_integer() else f"{round(float(x), 4):g}"


def plain(text) -> str:
    return "" if text is None else str(text).translate(_CONTROLS)


def file_stem(agency_name: str, year: int, kind: str) -> str:
    """``<agency>_<year>年度_<kind>``, with the characters no file system takes replaced."""
    name = _UNSAFE_NAME.sub("_", plain(agency_name)).strip(" ._").lstrip("-") or "未命名机构"
    return f"{name[:80]}_{int(year)}年度_{kind}"


def collect(path, year: int, region: str | None = None) -> list[AgencyNotice]:
    """The notices of one year: one per agency with findings still to be acted on (已确认, 已通知, 退回)."""
    from .warehouse.sqlfiles import read
    from .warehouse.store import connect_read

    con = connect_read(path)
    try:
        rows = con.execute(read("notice/findings"),
                           {"year": int(year), "region": region or None, "statuses": list(ACTIVE)}).fetchall()
        figures = con.execute(read("notice/figures"), {"fingerprints": [r[0] for r in rows]}).fetchall()
    finally:
        con.close()
    by_fp: dict[str, list[Figure]] = {}
    for fp, _rid, yr, _tbl, table_zh, _row, _col, row_label, col_label, value, raw, kind, src in figures:
        by_fp.setdefault(fp, []).append(Figure(yr, table_zh, row_label, col_label, value, raw, kind, src))
    notices: dict[str, AgencyNotice] = {}
    for (fp, rule, severity, agency_id, agency_name, _prov, _city, _county, yr, _subject, message,
         _expected, _actual, status, _rid, _src) in rows:
        notice = notices.setdefault(agency_id, AgencyNotice(agency_id, agency_name, yr))
        notice.items.append(Item(fp, rule, severity, yr, message, status, by_fp.get(fp, [])))
    return list(notices.values())


def write_docx(notice: AgencyNotice, out: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    name = plain(notice.agency_name)
    doc.add_heading(f"关于{name}{notice.year}年度政府信息公开工作年度报告问题的整改通知", level=1)
    doc.add_paragraph(f"{name}：")
    doc.add_paragraph(
        f"经核查，贵单位{notice.year}年度政府信息公开工作年度报告存在以下 {len(notice.items)} 个问题（问题清单）。"
        "请逐项核实，在“答复”“整改情况”栏写明核实结果和整改措施；报告数据确有错误的，请更正后重新发布。")
    table = doc.add_table(rows=1, cols=len(ITEM_HEADER) - 1)  # the fingerprint is for the workbook
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ITEM_HEADER):
        cell.text = text
    for i, item in enumerate(notice.items, 1):
        values = (str(i), item.rule, item.rule_name, item.severity_zh, item.message, item.figures_text(),
                  item.expects, "", "")
        for cell, text in zip(table.add_row().cells, values):
            cell.text = plain(text)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph(f"生成日期：{date.today():%Y年%m月%d日}")
    doc.save(out)
    return out


def write_xlsx(notice: AgencyNotice, out: Path) -> Path:
    from openpyxl import Workbook

    from .warehouse.cell_safety import xlsx_cells

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    for letter, width in zip("ABCDEFGHIJ", (6, 16, 18, 8, 50, 60, 60, 30, 30, 40)):
        ws.column_dimensions[letter].width = width

    def row(sheet, values):
        sheet.append([c for v in values for c in xlsx_cells(sheet, v)])

    row(ws, [f"{notice.agency_name}{notice.year}年度政府信息公开工作年度报告问题清单"])
    row(ws, [])
    row(ws, ITEM_HEADER)
    for i, item in enumerate(notice.items, 1):
        row(ws, [i, item.rule, item.rule_name, item.severity_zh, item.message, item.figures_text(), item.expects,
                 "", "", item.fingerprint])
    figs = wb.create_sheet("涉及数据")
    row(figs, FIGURE_HEADER)
    for i, item in enumerate(notice.items, 1):
        for f in item.figures:
            row(figs, [i, item.rule, f.year, f.table_zh, f.row_label, f.col_label, f.value, f.raw, f.src])
    wb.save(out)
    return out


def write_notices(path, year: int, out_dir, *, region: str | None = None, formats=FORMATS, bundle: bool = False,
                  mark_notified: bool = False, by: str | None = None) -> Written:
    """Write the notices of ``year`` (in ``region``) to ``out_dir``; optionally one zip of them all
    and the listed findings marked 已通知 by ``by`` (those already notified stay as they are)."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ReportError(f"未知的格式：{', '.join(sorted(unknown)) or '（空）'}（可选 docx、xlsx）")
    notices = collect(path, year, region)
    if not notices:
        where = f"{region}" if region else "所选范围"
        raise ReportError(f"{where}{year}年度没有已确认待通知的发现，未生成整改通知")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = Written(notices=notices)
    used: set[str] = set()
    notes: dict[str, str] = {}
    for notice in notices:
        stem = file_stem(notice.agency_name, year, "整改通知")
        n = 2
        while stem in used:  # two agencies whose names differ only in characters a file name cannot hold
            stem = file_stem(f"{notice.agency_name}_{n}", year, "整改通知")
            n += 1
        used.add(stem)
        names = []
        if "docx" in formats:
            written.files.append(write_docx(notice, out / f"{stem}.docx"))
            names.append(written.files[-1].name)
        if "xlsx" in formats:
            xlsx_stem = stem.removesuffix("整改通知") + "问题清单"
            written.files.append(write_xlsx(notice, out / f"{xlsx_stem}.xlsx"))
            names.append(written.files[-1].name)
        for item in notice.items:
            notes[item.fingerprint] = f"已发出{year}年度整改通知（{'、'.join(names)}）"
    if bundle:
        zip_name = file_stem(region or "全部地区", year, "整改通知") + ".zip"
        written.archive = out / zip_name
        tmp = written.archive.with_name(written.archive.name + ".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in written.files:
                zf.write(f, arcname=f.name)
        os.replace(tmp, written.archive)  # a reader never sees half a zip
    if mark_notified:
        from .warehouse.review import transition

        to_mark = [i.fingerprint for n in notices for i in n.items if i.status != "notified"]
        if to_mark:
            written.marked = len(transition(path, "notified", fingerprints=to_mark, by=by, notes=notes).changed)
    return written
