"""DOCX backend: whole reports built with python-docx (``fixtures.docx_builders``) and small documents
built here, one quirk each."""

from __future__ import annotations

import io
import struct
import zipfile

import docx as python_docx
import pytest

from analytics.errors import CorruptFile, ReportError, TooLarge
from analytics.parsing.backends import docx as backend
from analytics.parsing.cells import read_cell
from fixtures.docx_builders import REVIEW, YEAR, build_report, check_document
from fixtures.document_rows import by_table


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_report_with_merged_cells_gives_every_figure(template):
    data, truth = build_report(template)
    doc = backend.load(data, f"report_{template}.docx")
    assert doc.format == "docx"
    assert doc.title.endswith("政府信息公开工作年度报告")
    check_document(doc, template, truth)


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_report_through_parse_bytes(template):
    from analytics.parsing import parse_bytes

    data, truth = build_report(template, seed=5)
    record = parse_bytes(data, f"某某市人民政府办公室_{YEAR[template]}.docx")
    assert record["template"] == template
    assert (record["agency"], record["year"]) == ("某某市人民政府办公室", YEAR[template])
    wrong = []
    for key, raw in truth["active"].items():
        if record["active_disclosure"].get(key, "absent") != read_cell(raw)[1]:
            wrong.append(f"active.{key}: {record['active_disclosure'].get(key, 'absent')!r} != {raw!r}")
    for key, cols in truth["applications"].items():
        for col, raw in cols.items():
            got = record["applications"].get(key, {}).get(col, "absent")
            if got != read_cell(raw)[1]:
                wrong.append(f"applications.{key}.{col}: {got!r} != {raw!r}")
    for (group, col), raw in zip(REVIEW, truth["review"]):
        got = record["review_litigation"].get(group, {}).get(col, "absent")
        if got != read_cell(raw)[1]:
            wrong.append(f"review.{group}.{col}: {got!r} != {raw!r}")
    assert not wrong, "\n".join(wrong[:40])


def test_vertical_merge_continuation_cells_are_not_emitted():
    data, _truth = build_report("2021")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b'w:vMerge w:val="restart"' in xml and b"<w:vMerge/>" in xml  # python-docx wrote real merges
    t3 = by_table(backend.load(data))[1]
    denied = [r for r in t3 if r[0].startswith(("2.其他法律", "3.危及"))]
    assert all(len(r) == 8 for r in denied)


def test_runs_split_labels_and_line_breaks_in_cells():
    d = python_docx.Document()
    t = d.add_table(rows=2, cols=2)
    p = t.cell(0, 0).paragraphs[0]
    for piece in ("一、本年", "新收政府信息", "公开申请数量"):
        p.add_run(piece)
    t.cell(0, 1).text = "12"
    p = t.cell(1, 0).paragraphs[0]
    p.add_run("三、本年度")
    p.add_run().add_break()
    p.add_run("办理结果")
    t.cell(1, 1).text = ""
    buf = io.BytesIO()
    d.save(buf)
    rows = by_table(backend.load(buf.getvalue()))[0]
    assert rows == [["一、本年新收政府信息公开申请数量", "12"], ["三、本年度办理结果", ""]]


def test_report_inside_a_single_cell_frame_table_is_read_as_content():
    d = python_docx.Document()
    frame = d.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "一、总体情况"
    inner = frame.add_table(rows=2, cols=2)
    for r, (name, value) in enumerate([("规章", "3"), ("行政规范性文件", "")]):
        inner.cell(r, 0).text, inner.cell(r, 1).text = name, value
    frame.add_paragraph("五、存在的主要问题及改进情况")
    buf = io.BytesIO()
    d.save(buf)
    doc = backend.load(buf.getvalue())
    assert [(r.in_table, r.texts) for r in doc.rows] == [
        (False, ["一、总体情况"]),
        (True, ["规章", "3"]),
        (True, ["行政规范性文件", ""]),
        (False, ["五、存在的主要问题及改进情况"]),
    ]
    assert {r.table_index for r in doc.rows if r.in_table} == {0}


def test_content_controls_tracked_deletions_and_hidden_runs():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = python_docx.Document()
    p = d.add_paragraph("本年度共受理申请")
    deleted = parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>99</w:delText></w:r></w:del>')
    inserted = parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>12</w:t></w:r></w:ins>')
    hidden = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>')
    p._p.append(deleted)
    p._p.append(inserted)
    p._p.append(hidden)
    p.add_run("件。")
    d.add_paragraph("前文")
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent>'
        '<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>'
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
        '<w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>7</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt></w:tr>'
        '<w:tr><w:tc><w:p><w:r><w:t>行政强制</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>'
        '</w:sdtContent></w:sdt>'
    )
    d.element.body.insert(len(d.element.body) - 1, sdt)  # before the section properties
    buf = io.BytesIO()
    d.save(buf)
    doc = backend.load(buf.getvalue())
    assert [(r.in_table, r.texts) for r in doc.rows] == [
        (False, ["本年度共受理申请12件。"]),
        (False, ["前文"]),
        (False, ["一、总体情况"]),
        (True, ["规章", "7"]),
        (True, ["行政强制", ""]),
    ]


def test_web_page_embedded_as_alt_chunk_is_read_in_place():
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = python_docx.Document()
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=2, cols=2)
    for r, (name, value) in enumerate([("规章", "1"), ("行政强制", "2")]):
        t.cell(r, 0).text, t.cell(r, 1).text = name, value
    page = ("<html><body><p>三、收到和处理政府信息公开申请情况</p><table>"
            "<tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr>"
            "<tr><td>（二）部分公开</td><td>&nbsp;</td></tr></table></body></html>").encode("gb18030")
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">' + page
    chunk = Part(PackURI("/word/afchunk1.htm"), "text/html", page, d.part.package)
    rid = d.part.relate_to(chunk, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    d.element.body.insert(len(d.element.body) - 1, parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>'))
    d.add_paragraph("六、其他需要报告的事项")
    buf = io.BytesIO()
    d.save(buf)
    doc = backend.load(buf.getvalue())
    assert [(r.in_table, r.table_index, r.texts) for r in doc.rows] == [
        (False, None, ["二、主动公开政府信息情况"]),
        (True, 0, ["规章", "1"]),
        (True, 0, ["行政强制", "2"]),
        (False, None, ["三、收到和处理政府信息公开申请情况"]),
        (True, 1, ["三、本年度办理结果", "（一）予以公开", "5"]),
        (True, 1, ["（二）部分公开", ""]),
        (False, None, ["六、其他需要报告的事项"]),
    ]
    assert doc.rows[3].where == "paragraph 4"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return buf.getvalue()


def test_not_a_zip_is_corrupt():
    with pytest.raises(CorruptFile) as info:
        backend.load(b"PK\x03\x04 this is not really a zip archive", "broken.docx")
    assert str(info.value).startswith("不是有效的 .docx（zip 压缩包已损坏：")


def test_zip_without_word_document_is_corrupt():
    with pytest.raises(CorruptFile):
        backend.load(_zip({"hello.txt": b"hi"}), "x.docx")


def test_damaged_document_xml_is_corrupt():
    with pytest.raises(CorruptFile):
        backend.load(_zip({"word/document.xml": b"<w:document><w:body><w:p>"}), "x.docx")


def test_zip_bomb_by_compression_ratio_is_refused():
    bomb = _zip({"word/document.xml": b"<a/>", "word/media/pad.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(CorruptFile) as info:
        backend.load(bomb, "bomb.docx")
    assert "word/media/pad.bin 解压后膨胀" in str(info.value) and "疑似 zip 炸弹" in str(info.value)


def test_zip_declaring_a_huge_size_is_refused_before_reading():
    data = bytearray(_zip({"word/document.xml": b"<a/>"}))
    at = data.index(b"PK\x01\x02")  # central directory entry: uncompressed size at offset 24
    struct.pack_into("<I", data, at + 24, 300 * 1024 * 1024)
    with pytest.raises(TooLarge):
        backend.load(bytes(data), "huge.docx")


def test_errors_are_report_errors_with_one_line_messages():
    with pytest.raises(ReportError) as info:
        backend.load(b"PK\x03\x04\x00\x00", "x.docx")
    assert "\n" not in str(info.value)


def test_speed_a_few_plain_reads_of_the_same_file():
    from lxml import etree

    from fixtures.speed import cost_ratio

    def unzip_and_parse(data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            etree.fromstring(z.read("word/document.xml"))

    data, _truth = build_report("2021")
    backend.load(data)
    rate, plain, ratio = cost_ratio(backend.load, unzip_and_parse, [data], rounds=40)
    print(f"DOCX backend: {rate:.0f} reports/s, unzip and XML parse alone {plain:.0f}/s: {ratio:.1f}×")
    # measured 5.5–6.3× (290–330 reports/s alone on one core)
    assert ratio <= 15
