"""One deviation of real reports per test, on small texts built here."""

from __future__ import annotations

import pytest

from analytics.errors import NotAReport, OldFormatReport
from analytics.fields import OTHER_ROWS_2021
from fixtures.report_text import parse, rebalance, row


def cell(record: dict, table: str, key: str, col: str = "value") -> dict:
    return next(c for c in record["cells"] if (c["table"], c["row"], c["col"]) == (table, key, col))


@pytest.mark.parametrize("layout", ["tab", "pipe", "space", "lines"])
def test_every_layout_reads_the_same_record(report_text, layout):
    r = report_text("2021", layout)
    rec = parse(r.text(), "测试县人民政府_2021.md" if layout == "pipe" else "测试县人民政府_2021.txt")
    assert rec["template"] == "2021"
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key
    assert rec["active_disclosure"]["normative_in_force"] == 150
    assert rec["active_disclosure"]["fees_amount"] == 24.5
    assert rec["review_litigation"]["litigation_direct"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
    assert not rec["warnings"]


def test_template_comes_from_header_words_not_the_year(report_text):
    r = report_text("2019", "tab", title="测试县人民政府2022年政府信息公开工作年度报告")
    rec = parse(r.text(), "x.txt")
    assert rec["year"] == 2022 and rec["template"] == "2019"
    assert rec["active_disclosure"]["licensing_prev_items"] == 396
    r = report_text("2021", "tab", title="测试县人民政府2020年政府信息公开工作年度报告")
    assert parse(r.text(), "x.txt")["template"] == "2021"


def test_single_other_row_in_a_2021_template_report(report_text):
    r = report_text("2021", "tab")
    r.split_other = False
    rec = parse(r.text())
    assert rec["template"] == "2021"
    assert row(rec, "other_total") == r.t3["other_total"]
    assert not any(k in rec["applications"] for k in OTHER_ROWS_2021)
    assert not rec["warnings"]


def test_normative_documents_without_the_word_administrative(report_text):
    r = report_text("2021", "tab")
    r.t2 = [(("规范性文件" if k == "行政规范性文件" else k), v) for k, v in r.t2]
    rec = parse(r.text())
    assert [rec["active_disclosure"][k] for k in ("normative_issued", "normative_repealed", "normative_in_force")] == [12, 3, 150]


def test_slash_and_noted_numbers_in_cells(report_text):
    r = report_text("2021", "tab")
    r.t2 = [(k, (["/", "/", "/"] if k == "规章" else ["22（其中修订16件）", 3, "55（含自然失效29件）"] if k == "行政规范性文件" else v))
            for k, v in r.t2]
    rec = parse(r.text())
    ad = rec["active_disclosure"]
    assert ad["regulations_issued"] is None and cell(rec, "active_disclosure", "regulations_issued")["kind"] == "not_applicable"
    assert ad["normative_issued"] == 22 and ad["normative_in_force"] == 55
    c = cell(rec, "active_disclosure", "normative_issued")
    assert c["kind"] == "text" and c["raw"] == "22(其中修订16件)"


def test_decimal_fees_and_signed_changes(report_text):
    r = report_text("2021", "tab")
    r.t2 = [(k, (["4068.208"] if k == "行政事业性收费" else v)) for k, v in r.t2]
    assert parse(r.text())["active_disclosure"]["fees_amount"] == 4068.208
    r = report_text("2019", "pipe")
    r.t2 = [(k, ([3001, -417, 96] if k == "行政处罚" else v)) for k, v in r.t2]
    ad = parse(r.text(), "测试县人民政府_2019.md")["active_disclosure"]
    assert (ad["punishment_prev_items"], ad["punishment_change"], ad["punishment_decisions"]) == (3001, -417, 96)


@pytest.mark.parametrize("layout", ["tab", "blob"])
def test_local_extra_row_is_ignored_not_mapped(report_text, layout):
    r = report_text("2021", layout)
    r.t2.insert(3, ("其他主动公开文件", [5, 0, 5]))
    rec = parse(r.text())
    ad = rec["active_disclosure"]
    assert [ad.get(k) for k in ("regulations_issued", "regulations_repealed", "regulations_in_force")] == [0, 0, 0]
    assert 5 not in [v for k, v in ad.items() if k.startswith("normative")]
    assert any(w["code"] == "local_row_ignored" and "其他主动公开文件" in w["message"] for w in rec["warnings"])


def test_blank_cells_stay_null(report_text):
    r = report_text("2021", "tab")
    r.t3["granted"] = [20, None, None, None, None, None, 20]
    r.t3["new_received"] = [80, 1, None, None, 2, None, 83]
    rec = parse(r.text())
    assert row(rec, "granted") == [20, None, None, None, None, None, 20]
    assert row(rec, "new_received") == [80, 1, None, None, 2, None, 83]
    assert cell(rec, "applications", "granted", "commercial")["kind"] == "blank"


def test_blank_cells_one_value_per_line_as_bare_pipes(report_text):
    r = report_text("2021", "lines")
    r.t3["granted"] = [20, None, None, None, None, None, 20]
    rec = parse(r.text())
    assert row(rec, "granted") == [20, None, None, None, None, None, 20]


def test_padding_fields_around_a_tab_row():
    text = ("某局2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n申请人情况\n"
            "一、\t本年新收政府信息公开申请数量\t\t\t\t\t\t\t0\t\n"
            "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\t\t0\n")
    rec = parse(text, "某局_2021.txt")
    assert row(rec, "new_received") == [None] * 6 + [0]
    assert row(rec, "carried_over") == [None] * 6 + [0]


def test_page_break_and_footer_inside_a_table(report_text):
    r = report_text("2021", "tab")
    text = r.text().replace("（三）4.保护第三方合法权益", "- 3 -\f\n— 4 —\n第 4 页\n（三）4.保护第三方合法权益")
    # a label cut by the page break, the footer between its halves
    text = text.replace("（五）4.无正当理由大量反复申请", "（五）4.无正当理由大量\n- 5 -\f\n反复申请")
    rec = parse(text)
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key
    assert cell(rec, "applications", "denied_third_party", "total")["where"].endswith("page 2")


def test_vertical_group_label_and_one_character_per_line_labels(report_text):
    r = report_text("2021", "tab")
    vertical = "\n".join("三、本年度办理结果")
    text = r.text().replace("（一）予以公开", vertical + "\n（一）予以公开")
    text = text.replace("（三）6.属于四类过程性信息", "\n".join("6.属于四类过程性信息"))
    rec = parse(text)
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key


def test_unlabelled_number_rows_take_the_missing_template_rows(report_text):
    r = report_text("2021", "pipe")
    text = r.text()
    # a converter moved two labels away from their numbers
    for key_label in ("（三）5.属于三类内部事务信息", "（四）2.没有现成信息需要另行制作"):
        text = text.replace(f"| {key_label} |", "|")
    text = text.replace("四、政府信息公开行政复议", "5.属于三类内部事务信\n息\n四、政府信息公开行政复议")
    rec = parse(text, "测试县人民政府_2021.md")
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key


def test_converter_column_names_are_not_numbers(report_text):
    r = report_text("2021", "pipe")
    header = "| 项目 | " + " | ".join(f"数据{i}" for i in range(1, 8)) + " |\n|---|---|---|---|---|---|---|---|\n"
    text = r.text().replace("| 一、本年新收", header + "| 一、本年新收")
    rec = parse(text, "测试县人民政府_2021.md")
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key


def test_published_contradiction_is_kept_with_a_warning(report_text):
    r = report_text("2021", "tab")
    r.t4 = [10, 1, 0, 0, 0] + [0] * 5 + [5, 0, 0, 0, 0]
    rec = parse(r.text())
    assert rec["review_litigation"]["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    assert [w["code"] for w in rec["warnings"]].count("published_contradiction") == 2


def test_missing_row_is_named_not_invented(report_text):
    r = report_text("2021", "tab")
    text = "\n".join(line for line in r.text().splitlines() if "重复申请" not in line)
    rec = parse(text)
    assert "refused_duplicate" not in rec["applications"]
    assert any(w["code"] == "row_missing" and "refused_duplicate" in w["message"] for w in rec["warnings"])


def test_pre_2019_report_is_refused():
    text = ("某县2018年政府信息公开工作年度报告\n一、概述\n2018年，我县认真贯彻《条例》。\n"
            "二、主动公开政府信息情况\n全年主动公开政府信息1234条。\n三、依申请公开情况\n共受理申请12件。\n")
    with pytest.raises(OldFormatReport):
        parse(text, "某县_2018.txt")


def test_not_a_report_is_refused():
    with pytest.raises(NotAReport):
        parse("会议通知\n定于下周一上午九时召开全体会议，请准时参加。\n联系电话：12345678\n", "通知.txt")


def test_agency_year_and_date_from_the_page(report_text):
    r = report_text("2021", "tab")
    text = "标题: 某某市交通运输局2021年政府信息公开工作年度报告\n发布日期: 2022-01-25\n" + r.text()
    rec = parse(text, "download.txt")
    assert (rec["agency"], rec["year"], rec["published"], rec["scope"]) == ("某某市交通运输局", 2021, "2022-01-25", "agency")
    rec = parse(r.text().split("\n", 1)[1], "某某县人民政府_2021.txt")
    assert (rec["agency"], rec["year"], rec["scope"]) == ("某某县人民政府", 2021, "jurisdiction")
    rec = parse(r.text().split("\n", 1)[1], "download.txt")
    assert rec["agency"] is None and any(w["code"] == "agency_missing" for w in rec["warnings"])


def test_sections_are_read(report_text):
    rec = parse(report_text("2021", "tab").text())
    assert rec["sections"]["overview"].startswith("本年度我县")
    assert "更新不及时" in rec["sections"]["problems"]
    assert rec["sections"]["other_matters"].startswith("本年度未收取")


def test_blank_total_in_a_grid_row_is_a_real_blank():
    from analytics.parsing.assemble import assemble
    from analytics.parsing.document import Cell, Document, Row

    def grid(texts, where):
        return Row([Cell(t, where) for t in texts], where, in_table=True, table_index=2)

    rows = [Row([Cell("某局2021年政府信息公开工作年度报告", "p1")], "p1"),
            Row([Cell("三、收到和处理政府信息公开申请情况", "p1")], "p1"),
            grid(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], "r1"),
            grid(["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"], "r2"),
            grid(["1.信访举报投诉类申请", "854", "898", "942", "", "", "", ""], "r3")]
    for fmt in ("html", "pdf", "docx"):
        rec = assemble(Document(fmt, rows), source={"path": "某局_2021." + fmt}).to_json()
        assert rec["applications"]["refused_petition"]["total"] is None
        assert not any(w["code"] == "cell_lost" for w in rec["warnings"])


def test_note_under_table4_is_not_read_as_values(report_text):
    r = report_text("2021", "tab")
    text = r.text().replace("五、存在的主要问题", "注：2021年共有3件行政复议案件由上级机关转办，本表已计入。\n五、存在的主要问题")
    rec = parse(text)
    assert rec["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 2, "pending": 0, "total": 3}


def test_publication_date_under_the_closing_signature(report_text):
    text = report_text("2021", "tab").text() + "测试县人民政府\n2022年1月24日\n"
    assert parse(text)["published"] == "2022-01-24"
    # a date that closes an ordinary sentence is not a signature
    text = report_text("2021", "tab").text() + "本报告统计截至\n2022年1月24日\n"
    assert parse(text)["published"] is None


@pytest.mark.parametrize("layout", ["tab", "blob"])
def test_local_extra_row_in_table3_is_ignored(report_text, layout):
    r = report_text("2021", layout)
    rebalance(r.t3)
    sep = "" if layout == "blob" else "\n"
    local = "其他方式办结" + ("" if layout == "blob" else "\t") + ("\t" if layout == "tab" else "").join(["1", "0", "0", "0", "0", "0", "1"])
    text = r.text().replace("（五）1.信访举报投诉类申请", local + sep + "（五）1.信访举报投诉类申请")
    rec = parse(text)
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key
    assert any(w["code"] == "local_row_ignored" and "其他方式办结" in w["message"] for w in rec["warnings"])


@pytest.mark.parametrize("numbering", ["一、", "第一部分 ", "1.", ""])
def test_section_headings_numbered_any_way(report_text, numbering):
    text = report_text("2021", "tab").text().replace("一、总体情况", numbering + "总体情况")
    text += "测试县人民政府\n2022年1月24日\n"
    sections = parse(text)["sections"]
    assert sections["overview"].startswith("本年度我县")
    assert sections["other_matters"] == "本年度未收取信息处理费。"
