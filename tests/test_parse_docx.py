"""DOCX backend: whole reports built here with python-docx (merged cells as Word writes them)."""

from __future__ import annotations

import functools
import importlib.util
import io
import struct
import time
import zipfile

import docx as python_docx
import pytest

from analytics.errors import CorruptFile, ReportError, TooLarge
from analytics.fields import keys
from analytics.parsing.backends import docx as backend
from analytics.parsing.cells import read_cell

HAS_ASSEMBLER = importlib.util.find_spec("analytics.parsing.assemble") is not None

APP_COLS = keys("applications_col")
YEAR = {"2019": 2019, "2021": 2022}
REVIEW = [(g, c) for g in keys("review_group") for c in keys("review_col")]

# Table 3 labels as the template prints them: (group, subgroup, label) and the field key.
T3_2021 = [
    ("一、本年新收政府信息公开申请数量", None, None, "new_received"),
    ("二、上年结转政府信息公开申请数量", None, None, "carried_over"),
    ("三、本年度办理结果", "（一）予以公开", None, "granted"),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "partially_granted"),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "denied_state_secret"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "denied_law_prohibited"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", "denied_security_stability"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", "denied_third_party"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", "denied_internal_affairs"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息", "denied_process_info"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷", "denied_enforcement_file"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", "denied_admin_query"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", "unable_not_held"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作", "unable_needs_creation"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", "unable_unclear"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", "refused_petition"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请", "refused_duplicate"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物", "refused_publication"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", "refused_excessive"),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "refused_confirmation"),
    ("三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("三、本年度办理结果", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
    ("三、本年度办理结果", "（六）其他处理", "3.其他", "other_misc"),
    ("三、本年度办理结果", "（七）总计", None, "total_processed"),
    ("四、结转下年度继续办理", None, None, "carried_forward"),
]
T3_2019 = [r for r in T3_2021 if not r[3].startswith("other_")]
T3_2019.insert(20, ("三、本年度办理结果", "（六）其他处理", None, "other_total"))


def _figures(n: int, seed: int) -> list[str]:
    """Distinct, reproducible cell texts with blanks and a 'not applicable' mark among them."""
    out = []
    for i in range(n):
        v = (seed * 7919 + i * 104729) % 997
        out.append("" if v % 11 == 0 else "/" if v % 29 == 0 else str(v))
    return out


def _with_total(parts: list[str]) -> list[str]:
    return parts + [str(sum(int(p) for p in parts if p.isdigit()))]


def _applications(rows, seed: int) -> dict:
    return {key: dict(zip(APP_COLS, _with_total(_figures(6, seed + i)))) for i, (*_l, key) in enumerate(rows)}


def table3_spec(rows, data: dict) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan) for table 3, with its group and subgroup merges."""
    spec = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    for i, (group, sub, item, key) in enumerate(rows):
        cells = []
        first_of_group = i == 0 or rows[i - 1][0] != group
        first_of_sub = i == 0 or rows[i - 1][1] != sub or rows[i - 1][0] != group
        if sub is None:
            cells.append((group, 1, 3))
        else:
            if first_of_group:
                cells.append((group, sum(1 for r in rows if r[0] == group), 1))
            if item is None:
                cells.append((sub, 1, 2))
            else:
                if first_of_sub:
                    cells.append((sub, sum(1 for r in rows if r[0] == group and r[1] == sub), 1))
                cells.append((item, 1, 1))
        cells.extend((data[key][c], 1, 1) for c in APP_COLS)
        spec.append(cells)
    return spec


def table4_spec(values: list[str]) -> list[list[tuple[str, int, int]]]:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(o, 2, 1) for o in outcomes], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(o, 1, 1) for o in outcomes * 2],
        [(v, 1, 1) for v in values],
    ]


def table2_spec_2021(a: dict) -> list[list[tuple[str, int, int]]]:
    sec = lambda s: [(f"第二十条第（{s}）项", 1, 4)]  # noqa: E731
    return [
        sec("一"),
        [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)],
        [("规章", 1, 1), (a["regulations_issued"], 1, 1), (a["regulations_repealed"], 1, 1), (a["regulations_in_force"], 1, 1)],
        [("行政规范性文件", 1, 1), (a["normative_issued"], 1, 1), (a["normative_repealed"], 1, 1), (a["normative_in_force"], 1, 1)],
        sec("五"),
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政许可", 1, 1), (a["licensing_decisions"], 1, 3)],
        sec("六"),
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政处罚", 1, 1), (a["punishment_decisions"], 1, 3)],
        [("行政强制", 1, 1), (a["coercion_decisions"], 1, 3)],
        sec("八"),
        [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)],
        [("行政事业性收费", 1, 1), (a["fees_amount"], 1, 3)],
    ]


def table2_spec_2019(a: dict) -> list[list[tuple[str, int, int]]]:
    # Header and body merges disagree on purpose, as in real reports: 本年新公开数量 spans two grid
    # columns in the header while the body merges the first value instead.
    sec = lambda s: [(f"第二十条第（{s}）项", 1, 5)]  # noqa: E731
    three = lambda label, k1, k2, k3: [(label, 1, 1), (a[k1], 1, 2), (a[k2], 1, 1), (a[k3], 1, 1)]  # noqa: E731
    head = [("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 2), ("处理决定数量", 1, 1)]
    return [
        sec("一"),
        [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 2), ("对外公开总数量", 1, 1)],
        three("规章", "regulations_new_made", "regulations_new_published", "regulations_total_published"),
        three("规范性文件", "normative_new_made", "normative_new_published", "normative_total_published"),
        sec("五"), head,
        three("行政许可", "licensing_prev_items", "licensing_change", "licensing_decisions"),
        three("其他对外管理服务事项", "other_services_prev_items", "other_services_change", "other_services_decisions"),
        sec("六"), head,
        three("行政处罚", "punishment_prev_items", "punishment_change", "punishment_decisions"),
        three("行政强制", "coercion_prev_items", "coercion_change", "coercion_decisions"),
        sec("八"),
        [("信息内容", 1, 1), ("上一年项目数量", 1, 2), ("本年增/减", 1, 2)],
        [("行政事业性收费", 1, 1), (a["fees_prev_items"], 1, 2), (a["fees_change"], 1, 2)],
        sec("九"),
        [("信息内容", 1, 1), ("采购项目数量", 1, 2), ("采购总金额", 1, 2)],
        [("政府集中采购", 1, 1), (a["procurement_items"], 1, 2), (a["procurement_amount"], 1, 2)],
    ]


def add_table(document, spec: list[list[tuple[str, int, int]]]) -> None:
    """A Word table from (text, rowspan, colspan) rows, merged the way Word merges (vMerge/gridSpan)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, cells in enumerate(spec):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, rs, cs, text))
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            c += cs
    n_cols = max(c for _r, c in taken) + 1
    table = document.add_table(rows=len(spec), cols=n_cols)
    table.style = "Table Grid"
    grid = table._cells  # one scan before merging (table.cell() rescans the whole table each call)
    for r, c, rs, cs, text in placed:
        cell = grid[r * n_cols + c]
        if rs > 1 or cs > 1:
            cell = cell.merge(grid[(r + rs - 1) * n_cols + c + cs - 1])
        cell.text = text


@functools.lru_cache(maxsize=None)
def build_report(template: str, seed: int = 1) -> tuple[bytes, dict]:
    """A whole report as .docx bytes, and the figures it holds (cached: building takes a while)."""
    active_keys = keys("active", template)
    active = dict(zip(active_keys, _figures(len(active_keys), seed)))
    if template == "2021":
        active["fees_amount"] = "96171.6"
    else:
        active["licensing_change"] = "-417"
        active["procurement_amount"] = "251000元"
    rows = T3_2021 if template == "2021" else T3_2019
    applications = _applications(rows, seed)
    review = [x for g in range(3) for x in _with_total(_figures(4, seed + 99 + g))]

    d = python_docx.Document()
    d.add_paragraph(f"某某市人民政府办公室{YEAR[template]}年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph("本年度，我办")
    p.add_run("坚持以公开为常态").bold = True
    p.add_run("，推进政务公开。")
    d.add_paragraph("二、主动公开政府信息情况")
    add_table(d, table2_spec_2021(active) if template == "2021" else table2_spec_2019(active))
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    add_table(d, table3_spec(rows, applications))
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    add_table(d, table4_spec(review))
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("公开内容还不够全面。")
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("本年度未收取信息处理费。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), {"active": active, "applications": applications, "review": review, "rows": rows}


# ---------------------------------------------------------------------------------------------
# Checking what the backend emits against what was written.


def by_table(doc) -> list[list[list[str]]]:
    out: dict[int, list[list[str]]] = {}
    for row in doc.rows:
        if row.in_table:
            out.setdefault(row.table_index, []).append(row.texts)
    return [out[k] for k in sorted(out)]


def check_document(doc, template: str, truth: dict) -> None:
    t2, t3, t4 = by_table(doc)
    # Table 3: the header rows, then one row per template row: its own labels, then 7 cells.
    body = t3[3:]
    assert len(body) == len(truth["rows"])
    for i, (row, (group, sub, item, key)) in enumerate(zip(body, truth["rows"])):
        prev = truth["rows"][i - 1] if i else (None, None, None, None)
        labels = [x for x in (group, sub, item) if x is not None]
        if sub is not None and prev[0] == group:
            labels.remove(group)  # the group label sits on its first sub-row only
            if item is not None and prev[1] == sub:
                labels.remove(sub)
        assert row == labels + [truth["applications"][key][c] for c in APP_COLS], key
    assert t4[-1] == truth["review"]
    # Table 2: every figure sits right after its row label, in header order.
    a = truth["active"]
    emitted = {r[0]: r[1:] for r in t2 if len(r) > 1 and r[0] != "信息内容"}
    if template == "2021":
        assert emitted["规章"] == [a["regulations_issued"], a["regulations_repealed"], a["regulations_in_force"]]
        assert emitted["行政规范性文件"] == [a["normative_issued"], a["normative_repealed"], a["normative_in_force"]]
        assert emitted["行政许可"] == [a["licensing_decisions"]]
        assert emitted["行政强制"] == [a["coercion_decisions"]]
        assert emitted["行政事业性收费"] == ["96171.6"]
    else:
        assert emitted["行政许可"] == [a["licensing_prev_items"], "-417", a["licensing_decisions"]]
        assert emitted["其他对外管理服务事项"] == [a["other_services_prev_items"], a["other_services_change"], a["other_services_decisions"]]
        assert emitted["行政事业性收费"] == [a["fees_prev_items"], a["fees_change"]]
        assert emitted["政府集中采购"] == [a["procurement_items"], "251000元"]
    prose = [r.texts[0] for r in doc.rows if not r.in_table]
    assert prose[2] == "本年度，我办坚持以公开为常态，推进政务公开。"
    assert prose[-1] == "本年度未收取信息处理费。"


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_report_with_merged_cells_gives_every_figure(template):
    data, truth = build_report(template)
    doc = backend.load(data, f"report_{template}.docx")
    assert doc.format == "docx"
    assert doc.title.endswith("政府信息公开工作年度报告")
    check_document(doc, template, truth)


@pytest.mark.skipif(not HAS_ASSEMBLER, reason="the assembler (parsing/assemble.py) is not there yet")
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
    assert "zip" in str(info.value)


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
    assert "zip bomb" in str(info.value)


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


def test_speed_at_least_fifty_reports_per_second():
    data, _truth = build_report("2021")
    backend.load(data)
    start = time.process_time()
    n = 40
    for _ in range(n):
        backend.load(data)
    rate = n / (time.process_time() - start)
    print(f"DOCX backend: {rate:.0f} reports/s")
    assert rate >= 50
