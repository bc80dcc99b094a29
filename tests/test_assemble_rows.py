"""Rows shaped like the HTML, DOCX and PDF backends emit them, fed straight to the assembler."""

from __future__ import annotations

from analytics.fields import APPLICATION_COLS, label
from analytics.parsing.assemble import assemble
from analytics.parsing.document import Cell, Document, Row
from fixtures.report_text import T3, T4

GROUP = {"denied_": "（三）不予公开", "unable_": "（四）无法提供", "refused_": "（五）不予处理", "other_": "（六）其他处理"}


def grid(texts, where="table 3", table=3):
    return Row([Cell(t, where) for t in texts], where, in_table=True, table_index=table)


def para(text, where="p"):
    return Row([Cell(text, where)], where)


def sub_label(key: str) -> str:
    text = label("applications_row", key)
    return text.split("）", 1)[1] if text.startswith("三（") and key != "total_processed" else text


def head_rows() -> list[Row]:
    return [para("某市生态环境局2021年政府信息公开工作年度报告"), para("一、总体情况"), para("本年度……"),
            para("二、主动公开政府信息情况"),
            grid(["第二十条第（一）项"], table=1), grid(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], table=1),
            grid(["规章", "0", "0", "0"], table=1), grid(["行政规范性文件", "6", "1", "40"], table=1),
            grid(["第二十条第（五）项"], table=1), grid(["信息内容", "本年处理决定数量"], table=1),
            grid(["行政许可", "120"], table=1),
            grid(["第二十条第（八）项"], table=1), grid(["信息内容", "本年收费金额（单位：万元）"], table=1),
            grid(["行政事业性收费", "0"], table=1),
            para("三、收到和处理政府信息公开申请情况"),
            grid(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]),
            grid(["自然人", "法人或其他组织", "总计"]),
            grid(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]


def tail_rows(values=T4) -> list[Row]:
    return [para("四、政府信息公开行政复议、行政诉讼情况"),
            grid(["行政复议", "行政诉讼"], table=4), grid(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                                                      "未经复议直接起诉", "复议后起诉"], table=4),
            grid(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2, table=4),
            grid([str(v) for v in values], table=4),
            para("五、存在的主要问题及改进情况"), para("无"), para("六、其他需要报告的事项"), para("无")]


def order() -> list[str]:
    return [k for k in T3 if k != "other_total"]


def rowspan_rows() -> list[Row]:
    """A group label only on the first sub-row, as an HTML rowspan leaves it."""
    rows, seen = [], set()
    for key in order():
        vals = [str(v) for v in T3[key]]
        cells = [sub_label(key)]
        if key == "granted":
            cells = ["三、本年度办理结果", *cells]
        for prefix, group in GROUP.items():
            if key.startswith(prefix) and prefix not in seen:
                seen.add(prefix)
                cells = [group, *cells]
        rows.append(grid(cells + vals, where=f"table 3 r{len(rows)}"))
    return rows


def read(rows, fmt="html") -> dict:
    return assemble(Document(fmt, rows), source={"path": "某市生态环境局_2021." + fmt}).to_json()


def check_t3(rec):
    for key in order():
        got = [rec["applications"].get(key, {}).get(c, "ABSENT") for c in APPLICATION_COLS]
        assert got == T3[key], key


def test_group_label_only_on_first_sub_row():
    rec = read(head_rows() + rowspan_rows() + tail_rows())
    check_t3(rec)
    assert rec["active_disclosure"]["normative_in_force"] == 40
    assert rec["review_litigation"]["review"]["total"] == 3
    assert rec["template"] == "2021" and rec["scope"] == "agency"
    assert not rec["warnings"]


def test_labels_split_over_cells_and_runs():
    rows = rowspan_rows()
    for i, row in enumerate(rows):
        texts = row.texts
        lab = texts[-8]
        rows[i] = grid(texts[:-8] + [lab[: len(lab) // 2], lab[len(lab) // 2:]] + texts[-7:])
    check_t3(read(head_rows() + rows + tail_rows()))


def test_pdf_footers_vertical_group_label_and_wrapped_labels():
    rows = rowspan_rows()
    out: list[Row] = []
    for row in rows:
        texts = row.texts
        lab = texts[-8]
        if "大量反复" in lab:  # a wrapped label: the second half after the numbers
            out += [grid([lab[:-2], *texts[-7:]], "page 3"), para(lab[-2:], "page 3")]
        elif "确认或重新出具" in lab:  # numbers between the two halves, on their own line
            out += [para(lab[:8], "page 3"), grid(texts[-7:], "page 3"), para(lab[8:], "page 3")]
        else:
            out.append(grid([lab, *texts[-7:]], "page 3"))
        if "四类过程性" in lab:
            out += [para("-4-", "page 3"), para("— 5 —", "page 4")] + [para(ch, "page 4") for ch in "三、本年度办理结果"]
    rec = read(head_rows() + out + tail_rows(), fmt="pdf")
    check_t3(rec)


def test_table4_contradiction_kept():
    rec = read(head_rows() + rowspan_rows() + tail_rows([10, 1, 0, 0, 0] + [0] * 5 + [5, 0, 0, 0, 0]), fmt="pdf")
    assert rec["review_litigation"]["review"]["total"] == 0
    assert any(w["code"] == "published_contradiction" for w in rec["warnings"])


def test_values_of_a_merged_block_column_by_column():
    rows = head_rows()
    at = next(i for i, r in enumerate(rows) if r.texts[0] == "规章")
    rows[at:at + 2] = [para("规章", "page 2"), para("行政规范性文件", "page 2")] + [
        para(v, "page 2") for v in ("0", "6", "0", "1", "0", "40")]
    t3 = rowspan_rows()
    # two table 3 rows printed label, label, then their fourteen values column by column
    a, b = t3[12], t3[13]  # unable_not_held, unable_needs_creation
    va, vb = a.texts[-7:], b.texts[-7:]
    t3[12:14] = [para(a.texts[-8], "page 3"), para(b.texts[-8], "page 3")] + [
        para(v, "page 3") for pair in zip(va, vb) for v in pair]
    rec = read(rows + t3 + tail_rows(), fmt="pdf")
    check_t3(rec)
    # table 2 has no rule to tell row order from column order: left out, with a warning
    assert "normative_in_force" not in rec["active_disclosure"]
    assert any(w["code"] == "block_ambiguous" for w in rec["warnings"])


def test_values_after_a_run_of_bare_labels_are_not_given_to_its_tail():
    t3 = rowspan_rows()
    keep = t3[:4]  # new_received … partially_granted
    bare = [para(sub_label(k), "page 3") for k in ("denied_state_secret", "denied_law_prohibited", "denied_security_stability")]
    # the next label carries fourteen values: two rows' worth, but the run has four labels
    values = [para(v, "page 3") for v in ["2", "0", "0", "0", "0", "0", "2", "1", "0", "0", "0", "0", "0", "1"]]
    rows = keep + bare + [para(sub_label("denied_third_party"), "page 3")] + values + t3[8:]
    rec = read(head_rows() + rows + tail_rows(), fmt="pdf")
    for key in ("denied_state_secret", "denied_law_prohibited", "denied_security_stability", "denied_third_party"):
        assert key not in rec["applications"], key
    assert rec["applications"]["granted"]["total"] == 21


def test_random_rows_never_crash_the_assembler():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from analytics.errors import ReportError

    words = st.sampled_from(["一、本年新收政府信息公开申请数量", "（七）总计", "3.其他", "行政复议", "规章", "第二十条第（一）项",
                             "本年制发件数", "申请人情况", "总计", "0", "12", "-3", "/", "", "22（其中修订16件）",
                             "801000081", "4.5", "四、结转下年度继续办理", "- 4 -", "其他主动公开文件", "三", "|"])
    rows = st.lists(st.tuples(st.lists(words, min_size=1, max_size=9), st.booleans()), max_size=60)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows)
    def run(spec):
        doc = Document("html", [Row([Cell(t, f"r{i}") for t in texts], f"r{i}", in_table=grid_row)
                                for i, (texts, grid_row) in enumerate(spec)])
        try:
            rec = assemble(doc, source={"path": "x.html"}).to_json()
        except ReportError:
            return
        for c in rec["cells"]:
            assert c["table"] in ("active_disclosure", "applications", "review_litigation")

    run()


def test_a_vanished_label_and_an_unlabelled_block_by_columns():
    t3 = rowspan_rows()
    # new_received lost its label: seven lone values before the first labelled row
    lone = [para(v, "page 2") for v in t3[0].texts[-7:]]
    # the labels of unable_not_held and unable_needs_creation vanished too; their values come
    # column by column as fourteen lone lines between two labelled rows
    a, b = t3[12].texts[-7:], t3[13].texts[-7:]
    block = [para(v, "page 3") for pair in zip(a, b) for v in pair]
    rows = lone + t3[1:12] + block + t3[14:]
    rec = read(head_rows() + rows + tail_rows(), fmt="pdf")
    check_t3(rec)
