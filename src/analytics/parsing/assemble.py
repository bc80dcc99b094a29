"""From any backend's ``Document`` to the canonical record (docs/spec/report-schema.md)."""

from __future__ import annotations

import re

from ..errors import NotAReport, OldFormatReport
from ..fields import ACTIVE_DISCLOSURE
from ..report_record import Report, ReportWarning, Source
from . import active as active_rows
from .applications import read_applications
from .blocks import deal_blocks
from .cells import invisible_chars, strip_invisible
from .document import Document
from .fees import fee_region, read_fees
from .fit import fit_tokens
from .glued import Group
from .meta import agency_and_year, published_date, scope
from .record import Sink, mark_confidence
from .review import read_review
from .sections import read_sections
from .stream import build_stream
from .labels import ACTIVE_LABELS
from .tables import find_regions, fuzzy, read_items, read_review_tokens
from .template import decide_template

_REPORT_WORDS = re.compile(r"政府信息公开|政务公开")
_OLD_MARKERS = re.compile(r"依申请公开(?:办理)?情况|概述|统计表|收费及减免情况")


def assemble(doc: Document, *, source: Source | dict) -> Report:
    if not isinstance(source, Source):
        source = Source(source.get("path"), source.get("sha256"), source.get("format"))
    mended: list[tuple[str, str, str]] = []
    if doc.meta.get("ocr"):
        from .ocr_labels import mend_labels

        doc, mended = mend_labels(doc)
    stream = build_stream(doc)
    plain = "\n".join(" ".join(c.text for c in r.cells) for r in doc.rows)
    first_lines = [" ".join(c.text for c in r.cells).strip() for r in doc.rows[:12]]
    agency, year, meta_notes = agency_and_year(doc.title, first_lines, source.path or "")
    regions = find_regions(stream)
    if regions.applications is None and regions.active is None:
        _refuse(plain, year)

    sink = Sink()
    sink.warnings.extend(ReportWarning.from_json(w) for w in doc.warnings)
    for note in meta_notes:
        sink.warn("year_conflict", note, "")
    for read, word, where in mended:
        sink.warn("ocr_label_mended", f"文字识别的表格文字“{read}”与“{word}”只差个别字，按“{word}”读取", where)
    codes = invisible_chars(agency)
    if codes:
        # NUL, zero-width spaces and the like print as nothing, and would make another agency.
        agency = strip_invisible(agency).strip() or None
        sink.warn("agency_cleaned", f"机关名称中有不可见字符（{'、'.join(codes)}），已删去，按“{agency}”读取", "")
    if not agency:
        sink.warn("agency_missing", "文中和文件名中都找不到机关名称", "")
    if not year:
        sink.warn("year_missing", "文中和文件名中都找不到报告年度", "")

    template = decide_template(stream.text, regions.active)
    active: dict = {}
    if regions.active:
        items = read_items(stream, regions.active, "active")
        if template is None:
            template = "2021" if (year or 2021) >= 2021 else "2019"
            sink.warn("template_guessed", f"表2 表头无法识别模板，按年度推定为 {template}", "")
        active = _read_active(items, template, sink, stream.text[regions.active[0]:regions.active[1]])
    else:
        sink.warn("table_missing", "未找到表2（主动公开政府信息情况）", "")

    applications: dict = {}
    if regions.applications:
        items = read_items(stream, regions.applications, "applications")
        applications = read_applications(items, template, sink, flattened=doc.format in ("text", "markdown"))
        if template is None:
            template = "2019" if "other_total" in applications else "2021"
            sink.warn("template_guessed", f"表2 缺失，按表3 的行推定模板为 {template}", "")
    else:
        sink.warn("table_missing", "未找到表3（收到和处理政府信息公开申请情况）", "")

    review: dict = {}
    if regions.review:
        review = read_review(read_review_tokens(stream, regions.review), sink)
    else:
        sink.warn("table_missing", "未找到表4（行政复议、行政诉讼）", "")
    after = (regions.review or regions.applications or regions.active or (0, 0))[0]
    fees = read_fees(stream, fee_region(stream, after), sink)

    cells = sink.cells
    if doc.meta.get("ocr"):
        from .backends.ocr import LOW_CONFIDENCE

        cells = mark_confidence(cells, doc.rows, sink, LOW_CONFIDENCE)
    return Report(
        source=source,
        agency=agency,
        year=year,
        template=template,
        published=published_date(doc.published, first_lines + [plain[:400]],
                                 [" ".join(c.text for c in r.cells) for r in doc.rows[-4:]], agency),
        scope=scope(agency, plain),
        active_disclosure=active,
        applications=applications,
        review_litigation=review,
        processing_fees=fees,
        sections=read_sections(plain),
        cells=tuple(cells),
        warnings=tuple(sink.warnings),
    )


def _refuse(plain: str, year: int | None) -> None:
    if _REPORT_WORDS.search(plain[:5000]) and ((year is not None and year <= 2018) or _OLD_MARKERS.search(plain)):
        raise OldFormatReport(
            f"2019 年以前的旧格式年报（{year or '年份不明'}）：没有 2019/2021 年模板的任何标准表格")
    raise NotAReport("没有找到政府信息公开年度报告的任何表格")


def _read_active(items, template: str, sink: Sink, printed: str) -> dict:
    spec = active_rows.ROWS[template]
    items = deal_blocks(items, lambda key: len(spec.get(key, ())) or None, None,
                        lambda code, msg: sink.warn(code, "表2 " + msg, ""))
    out: dict = {}
    seen: set[str] = set()
    for it in items:
        if it.unknown:
            sink.warn("local_row_ignored", f"表2 本地增加的行“{it.unknown}”未计入任何标准行", it.where)
        if it.key is None:
            if any(t.raw for t in it.tokens) and not it.unknown:
                sink.warn("row_unlabelled", "表2 有一行数字没有行名，未计入", it.where)
            continue
        keys = spec.get(it.key)
        if keys is None:
            sink.warn("row_not_in_template", f"表2 的行 {it.key} 不属于 {template} 模板，未计入", it.where)
            continue
        if it.key in seen:
            continue
        fitted = fit_tokens(it.tokens, [Group(len(keys), False)])
        cand, why, ambiguous = active_rows.choose(keys, fitted)
        if cand is None:
            if it.tokens or it.from_own_row:
                sink.warn("row_unreadable", f"表2 {it.key}: {why}", it.where)
            continue
        seen.add(it.key)
        if why:
            sink.warn("glued_ambiguous" if ambiguous else fitted.note or "glued_read", f"表2 {it.key}: {why}", it.where)
        for key, entry in zip(keys, cand):
            if entry is None:
                sink.warn("cell_missing", f"表2 {key} 无法确定", it.where)
                continue
            out[key] = sink.cell(ACTIVE_DISCLOSURE, key, "value", entry)
    said = " ".join(w.message for w in sink.warnings if w.message.startswith("表2 "))
    for label in ACTIVE_LABELS:
        key = label.key
        if key in spec and key not in seen and f"表2 {key}" not in said and fuzzy(*label.variants).search(printed):
            # the row's label is printed but its figures were not read: name it (a row the
            # report does not print at all is simply not there)
            sink.warn("row_missing", f"表2 未读到行 {key}", "")
    return out
