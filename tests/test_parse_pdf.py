"""The PDF backend: real reports against their golden records, and built PDFs for each quirk."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest

from analytics.errors import CorruptFile, EncryptedFile, ReportError, ScannedDocument
from analytics.parsing import load_document, parse_bytes, parse_file
from analytics.parsing.assemble import assemble
from analytics.parsing.backends import pdf
from analytics.parsing.backends.pdf_meta import parse_date
from analytics.parsing.backends.pdf_settings import PdfSettings
from analytics.parsing.cells import normalise, read_cell
from fixtures.corpus import REAL, documents, gold_of
from fixtures.pdf_builders import (
    GROUP3,
    REVIEW_COLS,
    REVIEW_GROUPS,
    T3_COLUMNS,
    build_encrypted,
    build_many_pages,
    build_owner_locked,
    build_report,
    build_scanned,
    random_report,
    table2_values,
)

REAL_PDFS = documents(".pdf")
TABLES = ("active_disclosure", "applications", "review_litigation")


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _values(texts: list[str]) -> list[str]:
    """The value cells at the end of an emitted row (everything after the last label)."""
    k = len(texts)
    while k > 0 and (texts[k - 1] == "" or read_cell(texts[k - 1])[0] in ("number", "not_applicable")):
        k -= 1
    return texts[k:]


def _table_rows(doc, label: str):
    """Rows of the source table holding a row or header whose text starts with ``label``."""
    index = next(r.table_index for r in doc.rows if r.in_table and any(normalise(t).startswith(normalise(label)) for t in r.texts))
    return [r for r in doc.rows if r.in_table and r.table_index == index]


# --- real reports ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_real_report_gives_every_gold_cell(path):
    gold = gold_of(path)
    record = parse_file(path)
    expected = _flat({t: gold[t] for t in TABLES})
    got = _flat({t: record.get(t, {}) for t in TABLES})
    wrong = {k: (v, got.get(k, "absent")) for k, v in expected.items() if got.get(k, "absent") != v}
    assert len(expected) > 150
    assert wrong == {}
    assert record["template"] == gold["template"]
    assert record["source"]["format"] == "pdf"


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_real_report_read_without_its_rulings(path):
    """The same real pages with the drawn lines ignored: columns come from word positions alone."""
    gold = gold_of(path)
    doc = pdf.load(path.read_bytes(), path.name, settings=PdfSettings(use_rulings=False))
    record = assemble(doc, source={"path": path.name, "sha256": "", "format": "pdf"}).to_json()
    expected = _flat({t: gold[t] for t in TABLES})
    got = _flat({t: record.get(t, {}) for t in TABLES})
    assert {k: (v, got.get(k, "absent")) for k, v in expected.items() if got.get(k, "absent") != v} == {}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs a Chromium to print web pages")
def test_real_web_page_printed_to_pdf_by_a_browser(tmp_path):
    """A real 2019-template report page as a browser prints it (Skia PDF, borders as drawn
    rectangles, site navigation around the text): every gold cell through the PDF backend.
    (The four Pingtan pages all pass this way; one is printed to keep the suite quick.)"""
    page = REAL / "平潭综合实验区管委会_2019_网页.html"
    out = tmp_path / (page.stem + ".pdf")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert out.exists() and out.stat().st_size > 10000
    gold = gold_of(page)
    record = parse_file(out)
    assert record["source"]["format"] == "pdf"
    expected = _flat({t: gold[t] for t in TABLES})
    got = _flat({t: record.get(t, {}) for t in TABLES})
    assert {k: (v, got.get(k, "absent")) for k, v in expected.items() if got.get(k, "absent") != v} == {}


def test_real_2023_keeps_the_published_table4_error():
    record = parse_file(REAL / "淮安市洪泽区人民政府_2023.pdf")
    review = record["review_litigation"]["review"]
    after = record["review_litigation"]["litigation_after_review"]
    assert (review["total"], review["upheld"] + review["corrected"] + review["other"] + review["pending"]) == (0, 11)
    assert (after["total"], after["upheld"]) == (0, 5)


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_real_report_rows(path):
    doc = load_document(path.read_bytes(), path.name)
    assert doc.format == "pdf"
    assert doc.title.endswith("政府信息公开工作年度报告") and "洪泽区人民政府" in doc.title
    assert doc.published is None  # neither file prints a date under its title or at its end
    t3 = _table_rows(doc, "一、本年新收")
    # the vertical label printed one character per line comes out as one cell
    assert any(GROUP3 in r.texts for r in t3)
    # the table runs on over a page break as one table
    assert len({r.where for r in t3}) == 2
    data = [r for r in t3 if len(_values(r.texts)) == 7]
    # 一 二, （一）（二）, eight （三）, three （四）, five （五）, one （六） row, （七）总计, 四 结转
    assert len(data) == 2 + 2 + 8 + 3 + 5 + 1 + 1 + 1
    labels = [normalise(_label(r.texts)) for r in data]
    assert normalise("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") in labels
    assert normalise("5.要求行政机关确认或重新出具已获取信息") in labels
    # page footers ("-3-") never become cells or prose
    assert not any(re.fullmatch(r"-\d-", normalise(t)) for r in doc.rows for t in r.texts)
    assert doc.meta["page_numbers_dropped"] == doc.meta["pages"] == 5


def _label(texts: list[str]) -> str:
    return "".join(texts[: len(texts) - len(_values(texts))][-1:])


# --- built PDFs: every figure back through the whole parser ------------------------------------


def _check_record(report, record) -> list:
    wrong = []
    for key, raw in table2_values(report).items():
        if record["active_disclosure"].get(key, "absent") != read_cell(raw)[1]:
            wrong.append(("table2", key, raw, record["active_disclosure"].get(key, "absent")))
    for key, cells in report.table3.items():
        row = record["applications"].get(key, {})
        for col, raw in zip(T3_COLUMNS, cells):
            if row.get(col, "absent") != read_cell(raw)[1]:
                wrong.append(("table3", key, col, raw, row.get(col, "absent")))
    for i, raw in enumerate(report.table4):
        group = record["review_litigation"].get(REVIEW_GROUPS[i // 5], {})
        if group.get(REVIEW_COLS[i % 5], "absent") != read_cell(raw)[1]:
            wrong.append(("table4", i, raw, group.get(REVIEW_COLS[i % 5], "absent")))
    return wrong


CASES = [
    # seed, template, single （六） row, ruled, forced page break before this table 3 row, footer
    (1, "2021", False, "filled", None, "- {n} -"),
    (2, "2021", False, False, None, "- {n} -"),
    (3, "2021", False, True, "denied_internal_affairs", "— {n} —"),
    (4, "2021", False, False, "denied_internal_affairs", "第 {n} 页"),
    (5, "2021", True, False, "refused_duplicate", "- {n} -"),
    (6, "2021", True, True, "unable_unclear", "第 {n} 页 共 3 页"),
    (7, "2019", False, True, None, "- {n} -"),
    (8, "2019", False, False, "denied_third_party", "— {n} —"),
]


@pytest.mark.parametrize("seed,template,single,ruled,brk,footer", CASES)
def test_built_report_every_figure(seed, template, single, ruled, brk, footer):
    report = random_report(seed, template, single, blanks=6)
    data = build_report(report, ruled=bool(ruled), break_before_t3=brk, footer=footer, filled_borders=ruled == "filled")
    record = parse_bytes(data, f"case{seed}.pdf")
    assert record["template"] == template
    assert _check_record(report, record) == []
    assert not [w for w in record["warnings"] if w["code"] in ("cell_missing", "row_missing", "cell_lost")]


def test_signed_changes_of_the_2019_template():
    report = random_report(8, "2019")
    values = table2_values(report)
    assert any(v.startswith("-") for v in values.values())  # the case really has negative changes
    for ruled in (True, False):
        record = parse_bytes(build_report(report, ruled=ruled), "r2019.pdf")
        for key in ("licensing_change", "other_services_change", "punishment_change", "coercion_change", "fees_change"):
            assert record["active_disclosure"][key] == int(values[key])


# --- built PDFs: the rows the backend emits ----------------------------------------------------


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_table_across_page_break_with_footer(ruled):
    report = random_report(21)
    doc = pdf.load(build_report(report, ruled=ruled, break_before_t3="denied_third_party", footer="- {n} -"), "x.pdf")
    t3 = _table_rows(doc, "一、本年新收")
    data = [r for r in t3 if len(_values(r.texts)) == 7]
    assert [r.texts[-7:] for r in data] == [report.table3[k] for k, _ in report.table3_rows]
    assert len({r.where for r in data}) >= 2
    footers = {f"-{n}-" for n in range(1, 6)} | {str(n) for n in range(1, 6)}
    assert not any(normalise(t) in footers for r in doc.rows if not r.in_table for t in r.texts)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_blank_cells_stay_blank_in_place(ruled):
    report = random_report(22, blanks=12)
    doc = pdf.load(build_report(report, ruled=ruled), "x.pdf")
    data = [r for r in _table_rows(doc, "一、本年新收") if len(_values(r.texts)) == 7]
    emitted = [r.texts[-7:] for r in data]
    assert emitted == [report.table3[k] for k, _ in report.table3_rows]
    assert sum(row.count("") for row in emitted) == 12


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_wrapped_labels_come_out_whole(ruled):
    report = random_report(23)
    doc = pdf.load(build_report(report, ruled=ruled), "x.pdf")
    data = [r for r in _table_rows(doc, "一、本年新收") if len(_values(r.texts)) == 7]
    labels = [normalise(_label(r.texts)) for r in data]
    assert labels == [normalise(path[-1]) for _k, path in report.table3_rows]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_group_labels_sit_on_the_first_row_of_their_group(ruled):
    report = random_report(24)
    doc = pdf.load(build_report(report, ruled=ruled, t3_new_page=True), "x.pdf")
    data = [r for r in _table_rows(doc, "一、本年新收") if len(_values(r.texts)) == 7]
    by_key = dict(zip([k for k, _ in report.table3_rows], data))
    assert normalise(by_key["granted"].texts[0]) == GROUP3  # printed one character per line
    assert "（三）不予公开" in by_key["denied_state_secret"].texts
    assert "（五）不予处理" in by_key["refused_petition"].texts
    assert not any("（三）不予公开" in by_key[k].texts for k in ("denied_third_party", "denied_internal_affairs"))


def test_wrapped_header_words_join_up_without_rulings():
    doc = pdf.load(build_report(random_report(25), ruled=False), "x.pdf")
    t3 = _table_rows(doc, "一、本年新收")
    cells = {normalise(t) for r in t3 for t in r.texts}
    assert {"商业企业", "科研机构", "社会公益组织", "法律服务机构", "自然人", "总计"} <= cells
    t4 = _table_rows(doc, "行政复议")
    header = next(r.texts for r in t4 if r.texts.count("结果维持") == 3)
    assert header == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def test_column_blank_in_every_row_is_known_from_its_header():
    report = random_report(44)
    first = report.table2[0]  # 第二十条第（一）项: 本年废止件数 left blank for both rows
    for _keys, _label, cells in first.rows:
        cells[1] = ""
    report.closing = ["注：本表数据由各部门报送"] + report.closing
    doc = pdf.load(build_report(report, ruled=False), "x.pdf")
    rows = [r.texts for r in _table_rows(doc, "第二十条第（一）项") if r.texts[0] in ("规章", "行政规范性文件")]
    assert rows == [[label] + cells for _keys, label, cells in first.rows]
    assert any(r.texts == ["注：本表数据由各部门报送"] and not r.in_table for r in doc.rows)


def test_rules_between_rows_only_fall_back_to_positions():
    report = random_report(41, blanks=3, blank_totals=False)
    record = parse_bytes(build_report(report, column_rules=False), "rows-only.pdf")
    assert _check_record(report, record) == []


def test_running_header_does_not_cut_a_table():
    report = random_report(42)
    data = build_report(report, running_header="某某区人民政府办公室 政府信息公开", break_before_t3="denied_third_party")
    doc = pdf.load(data, "x.pdf")
    assert not any("政府信息公开" == normalise(t)[-6:] and "办公室" in t for r in doc.rows for t in r.texts)
    t3 = _table_rows(doc, "一、本年新收")
    assert [r.texts[-7:] for r in t3 if len(_values(r.texts)) == 7] == [report.table3[k] for k, _ in report.table3_rows]


def test_rotated_pages_read_the_same():
    from analytics.parsing.backends.pdf_text import import_pymupdf

    report = random_report(43)
    rotated = import_pymupdf().open(stream=build_report(report), filetype="pdf")
    for page in rotated:
        page.set_rotation(90)
    record = parse_bytes(rotated.tobytes(), "rotated.pdf")
    assert _check_record(report, record) == []
    assert not any(re.fullmatch(r"-\d-", normalise(t)) for r in pdf.load(rotated.tobytes(), "r.pdf").rows for t in r.texts)


def test_prose_lines_join_into_paragraphs():
    report = random_report(45)
    long_paragraph = report.intro[2]  # three lines on the page, first one indented
    report.closing = report.closing + [long_paragraph * 12]  # runs over a page break
    doc = pdf.load(build_report(report), "x.pdf")
    prose = [r.texts[0] for r in doc.rows if not r.in_table]
    assert long_paragraph in prose
    assert long_paragraph * 12 in prose
    assert "一、总体情况" in prose and "五、存在的主要问题及改进情况" in prose


def test_title_and_date_under_it():
    report = random_report(26)
    report.date_line = "（2024年1月24日）"
    doc = pdf.load(build_report(report), "x.pdf")
    assert doc.title == "".join(report.title)
    assert doc.published == "2024-01-24"


def test_date_after_agency_name_at_the_end():
    report = random_report(27)
    report.closing = report.closing + ["某某市某某区人民政府办公室", "二〇二四年一月二十六日"]
    assert pdf.load(build_report(report), "x.pdf").published == "2024-01-26"


def test_dates_inside_sentences_are_not_publication_dates():
    report = random_report(28)  # its intro states the statistics period 1 January to 31 December
    assert pdf.load(build_report(report), "x.pdf").published is None


def test_parse_date():
    assert parse_date("2025年1月24日") == "2025-01-24"
    assert parse_date("2025 年 12 月 3 日") == "2025-12-03"
    assert parse_date("二〇二五年三月十一日") == "2025-03-11"
    assert parse_date("2025年2月30日") is None
    assert parse_date("统计期限自2023年1月1日起") is None


# --- bad input ---------------------------------------------------------------------------------


def _one_line(exc: ReportError) -> None:
    assert "\n" not in str(exc) and len(str(exc)) < 200


def test_scanned_pdf():
    from analytics.parsing.backends import ocr

    if ocr.available():
        # recognised instead of refused, and said so (tests/test_ocr.py checks what is read)
        doc = pdf.load(build_scanned(), "scan.pdf")
        assert doc.meta.get("ocr") and any(w["code"] == "ocr" for w in doc.warnings)
        return
    with pytest.raises(ScannedDocument) as info:
        pdf.load(build_scanned(), "scan.pdf")
    assert str(info.value) == "扫描件，没有文字层，请先做文字识别（OCR）"
    _one_line(info.value)


def test_encrypted_pdf():
    with pytest.raises(EncryptedFile) as info:
        parse_bytes(build_encrypted("secret"), "locked.pdf")
    _one_line(info.value)


def test_owner_password_only_is_readable():
    report = random_report(31)
    record = parse_bytes(build_owner_locked(report), "owner.pdf")
    assert _check_record(report, record) == []


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.95])
def test_truncated_pdf(cut):
    data = build_report(random_report(32))
    with pytest.raises(CorruptFile) as info:
        pdf.load(data[: int(len(data) * cut)], "cut.pdf")
    _one_line(info.value)


@pytest.mark.parametrize("count", [b"-1", b"99999999999"])
def test_impossible_page_count_is_a_corrupt_file(count):
    # MuPDF opens such a file and fails only when asked how many pages it has.
    data = build_report(random_report(34))
    m = re.search(rb"/Count (\d+)", data)
    with pytest.raises(CorruptFile) as info:
        parse_bytes(data[:m.start(1)] + count + data[m.end(1):], "count.pdf")
    assert str(info.value).startswith("PDF 已损坏：无法读取页数（")
    _one_line(info.value)


def test_garbage_after_pdf_header():
    data = b"%PDF-1.7\n" + bytes((i * 7919) % 256 for i in range(20000))
    with pytest.raises(CorruptFile) as info:
        parse_bytes(data, "garbage.pdf")
    _one_line(info.value)


def test_cli_reports_a_damaged_pdf_in_one_line(tmp_path):
    path = tmp_path / "damaged.pdf"
    data = build_report(random_report(33))
    path.write_bytes(data[: len(data) // 2])
    run = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "parse", str(path), "--json"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith(f"analytics parse: {path}: PDF ")
    assert "不完整" in run.stderr or "已损坏" in run.stderr


def test_page_cap_with_warning():
    doc = pdf.load(build_many_pages(12), "long.pdf", settings=PdfSettings(max_pages=5))
    assert doc.meta["pages"] == 12 and doc.meta["pages_read"] == 5
    assert [w["code"] for w in doc.warnings] == ["pages_capped"]
    assert "第5页" in doc.text and "第6页" not in doc.text
    assert PdfSettings().max_pages == 200


@pytest.mark.parametrize("bad", [{"max_pages": 0}, {"snap": -1.0}, {"cell_gap": 0}, {"margin_zone": 0.6}])
def test_settings_are_validated(bad):
    with pytest.raises(ValueError):
        PdfSettings(**bad)


# --- speed -------------------------------------------------------------------------------------


def test_real_reports_parse_fast():
    blobs = [p.read_bytes() for p in REAL_PDFS]
    pdf.load(blobs[0], "warm-up.pdf")
    start = time.process_time()  # CPU time of this process: one core, whatever else runs
    for data in blobs * 2:
        pdf.load(data, "x.pdf")
    per_report = (time.process_time() - start) / (2 * len(blobs))
    assert per_report < 0.4  # about 0.1 s; at least 2.5 reports a second even on a slow core
