"""Quirks of real department and township reports, one per test, on small inputs built here.

Each is fixed in general (by label, geometry or the table rules), never by a document's name.
"""

from __future__ import annotations

from analytics.parsing.active import ROWS, choose
from analytics.parsing.fit import fit_tokens
from analytics.parsing.glued import Group
from analytics.parsing.tokens import Token
from fixtures.report_text import parse


def _active(rec: dict, *keys: str) -> list:
    return [rec["active_disclosure"].get(k, "ABSENT") for k in keys]


def _markdown_table2(normative: str) -> str:
    """A PDF-to-Markdown table 2 whose 规范性文件 row lost the border between two columns."""
    return ("测试市某局2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
            "| 规章 | 0 | 0 | 0 |\n"
            f"| 规范性文件 | {normative} |\n"
            "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
            "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")


def test_in_force_glued_to_its_neighbour_is_left_out_not_shortened():
    # 12 issued, 2 repealed, 235 in force: "12 | 2235" is 12/2/235, 12/22/35, 1/2/2235 …; the old
    # "similar length" choice read 35. All meet every relation of the template: nothing is claimed.
    rec = parse(_markdown_table2("12 | 2235"), "测试市某局_2021.md")
    assert _active(rec, "normative_issued", "normative_repealed", "normative_in_force") == ["ABSENT"] * 3
    said = [w["message"] for w in rec["warnings"] if w["code"] == "glued_ambiguous"]
    assert said and "2/235" in said[0] and "22/35" in said[0]
    assert {"表2 normative_repealed 无法确定", "表2 normative_in_force 无法确定"} <= {w["message"] for w in rec["warnings"]}
    # where the relations do decide, the split is read: 30 issued, 189 in force from "30 | 0189"
    rec = parse(_markdown_table2("30 | 0189"), "测试市某局_2021.md")
    assert _active(rec, "normative_issued", "normative_repealed", "normative_in_force") == [30, 0, 189]


def _choose(keys: list[str], *raws: str):
    return choose(keys, fit_tokens([Token(r, "line 1") for r in raws], [Group(len(keys), False)]))


def test_2019_table2_glued_rows_are_read_by_the_templates_relations_only():
    normative = ROWS["2019"]["normative"]
    # 本年新公开 ≤ 对外公开总数: "5 | 120" is 5/1/20 or 5/12/0, and 12 published this year
    # cannot exceed the 0 published in all
    got = _choose(normative, "5", "120")
    assert [e.raw for e in got.cand] == ["5", "1", "20"] and not got.ambiguous
    # a change never takes the items below zero:
    # "30 | -529" is 30/-5/29 or 30/-52/9, and -52 would leave fewer than no items
    licensing = ROWS["2019"]["licensing"]
    got = _choose(licensing, "30", "-529")
    assert [e.raw for e in got.cand] == ["30", "-5", "29"] and not got.ambiguous
    # nothing settles "3960181": no typical reading (a change of 0) is taken
    got = _choose(licensing, "3960181")
    assert got.ambiguous and all(e is None for e in got.cand)


def _t3_blob(rows: dict[str, str]) -> str:
    """A table 3 flattened with every cell of a row glued ("1.属于国家秘密0000000")."""
    body = "".join(f"{label}{digits}" for label, digits in rows.items())
    return ("测试镇人民政府2021年政府信息公开工作年度报告 三、收到和处理政府信息公开申请情况"
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" + body + "\n")


def test_glued_zeros_that_no_split_fits_are_zeros():
    # nine zeros for seven cells: no cut gives seven cells of canonical numbers, yet every cut
    # gives zeros only
    rec = parse(_t3_blob({"一、本年新收政府信息公开申请数量": "000000000", "二、上年结转政府信息公开申请数量": "0000000"}),
                "测试镇人民政府_2021.txt")
    assert rec["applications"]["new_received"] == dict.fromkeys(
        ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"), 0)
    assert any(w["code"] == "glued_zeros" and "new_received" in w["message"] for w in rec["warnings"])
    # a run with any other digit is never read that way (its one canonical split, 0/0/0/0/100/0/0,
    # is kept as printed and its total named as contradicted)
    rec = parse(_t3_blob({"一、本年新收政府信息公开申请数量": "000010000", "二、上年结转政府信息公开申请数量": "0000000"}),
                "测试镇人民政府_2021.txt")
    assert rec["applications"]["new_received"]["legal_service"] == 100
    assert not any(w["code"] == "glued_zeros" for w in rec["warnings"])


def test_glued_row_whose_only_split_contradicts_its_total_is_kept_as_published():
    # seven digits for seven cells: one split only, 1 + 0 + … = 1, total printed 2
    rec = parse(_t3_blob({"一、本年新收政府信息公开申请数量": "1000002", "二、上年结转政府信息公开申请数量": "0000000"}),
                "测试镇人民政府_2021.txt")
    assert rec["applications"]["new_received"]["natural_person"] == 1
    assert rec["applications"]["new_received"]["total"] == 2
    assert any(w["code"] == "published_contradiction" and "new_received" in w["message"] for w in rec["warnings"])


_T4_HEAD = ("<tr><td rowspan='2'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
            "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
            "<td>未经复议直接起诉</td><td>复议后起诉</td></tr>")


def _township_page(t4_cells: list[str]) -> bytes:
    cells = "".join(f"<td>{c}</td>" for c in t4_cells)
    t3 = "".join(f"<tr><td>{label}</td>" + "<td>0</td>" * 7 + "</tr>"
                 for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"))
    return ("<html><head><title>某某镇人民政府2024年政府信息公开工作年度报告</title></head><body><div class='article'>"
            "<h1>某某镇人民政府2024年政府信息公开工作年度报告</h1>"
            "<p>三、收到和处理政府信息公开申请情况</p><table><tr><td>申请人情况</td><td>自然人</td><td>商业企业</td>"
            "<td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>" + t3 + "</table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>" + _T4_HEAD + f"<tr>{cells}</tr></table>"
            "<p>五、存在的主要问题及改进情况</p><p>无。</p></div></body></html>").encode("utf-8")


def test_rows_published_blank_stay_as_nulls(tmp_path):
    from analytics.parsing import parse_bytes

    # a township prints table 4 as fifteen empty cells
    rec = parse_bytes(_township_page([""] * 15), "某某镇_2024.html")
    assert rec["review_litigation"] == {g: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"))
                                        for g in ("review", "litigation_direct", "litigation_after_review")}
    blank = [c for c in rec["cells"] if c["table"] == "review_litigation"]
    assert len(blank) == 15 and {c["kind"] for c in blank} == {"blank"} and all(c["where"] for c in blank)


def test_blank_row_of_a_flattened_table3_is_nulls_and_reaches_the_warehouse(report_text, tmp_path):
    import duckdb

    from analytics.warehouse import load_records
    from fixtures.records import findings_of, fresh_warehouse

    r = report_text("2021", "space")
    r.t3["denied_state_secret"] = [None] * 7
    rec = parse(r.text())
    assert rec["applications"]["denied_state_secret"] == dict.fromkeys(
        ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"))
    assert any(w["code"] == "row_blank" and "denied_state_secret" in w["message"] for w in rec["warnings"])
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [rec])
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute("SELECT kind, value, src FROM cells WHERE row_key = 'denied_state_secret'").fetchall()
        wide = con.execute("SELECT a_denied_state_secret, a_granted FROM report_wide").fetchall()
    finally:
        con.close()
    assert len(rows) == 7 and {(k, v) for k, v, _ in rows} == {("blank", None)} and all(src for _, _, src in rows)
    assert wide == [(None, 21.0)]  # blank is not 0
    assert [f for f in findings_of(db) if f[0].startswith("T3")] == []


def test_grid_row_contradicting_its_total_stays_as_published_for_the_rules(tmp_path):
    from analytics.warehouse import load_records
    from fixtures.records import findings_of, fresh_warehouse

    from analytics.parsing import parse_bytes

    rec = parse_bytes(_township_page(["10", "1", "0", "0", "0"] + ["0"] * 5 + ["0", "0", "0", "0", "0"]), "某某镇_2024.html")
    assert rec["review_litigation"]["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [rec])
    assert [(f[0], f[2]) for f in findings_of(db, "T4_GROUP_SUM")] == [("T4_GROUP_SUM", "review")]


def test_label_variant_does_not_let_a_row_take_the_next_rows_figures(report_text):
    from fixtures.report_text import rebalance, row

    for layout in ("tab", "blob", "space"):
        r = report_text("2021", layout)
        r.t3["denied_state_secret"] = [0] * 7
        r.t3["denied_law_prohibited"] = [2, 0, 0, 0, 0, 0, 2]
        rebalance(r.t3)
        r.labels["denied_law_prohibited"] = "2.其他法律和行政法规禁止公开"
        rec = parse(r.text())
        assert row(rec, "denied_state_secret") == [0] * 7, layout
        assert row(rec, "denied_law_prohibited") == [2, 0, 0, 0, 0, 0, 2], layout


def test_an_unknown_numbered_label_glued_to_figures_stops_the_row_before_it(report_text):
    from fixtures.report_text import row

    r = report_text("2021", "blob")
    r.labels["denied_law_prohibited"] = "2.法律法规规定不得公开的"  # no known wording
    rec = parse(r.text())
    # the row before keeps its own seven figures; the unknown row is named, its figures go nowhere
    assert row(rec, "denied_state_secret") == [0] * 7
    assert "denied_law_prohibited" not in rec["applications"]
    assert any(w["code"] == "local_row_ignored" and "法律法规规定不得公开" in w["message"] for w in rec["warnings"])


def test_agency_comes_from_the_reports_title_not_the_covering_letter(report_text):
    r = report_text("2021", "tab", title="某某县卫生健康局2021年政府信息公开工作年度报告")
    letter = ("某某县卫生健康局关于报送2021年政府信息公开工作年度报告的函\n县政府办公室：\n"
              "现将我局2021年政府信息公开工作年度报告报送你们，请审阅。\n")
    rec = parse(letter + r.text(), "download.txt")
    assert (rec["agency"], rec["year"]) == ("某某县卫生健康局", 2021)
    # a letter alone still names its sender, never "…关于报送"
    body = r.text().split("\n", 1)[1]
    rec = parse("某某县卫生健康局关于报送2021年度政府信息公开工作年度报告的报告\n" + body, "download.txt")
    assert rec["agency"] == "某某县卫生健康局"


def test_a_sentence_between_a_tables_heading_and_the_table_is_prose(report_text):
    from fixtures.report_text import row

    for layout in ("tab", "space", "lines", "blob"):
        r = report_text("2021", layout)
        text = r.text()
        for heading, sentence in (
                ("二、主动公开政府信息情况", "本年度主动公开规章0件，行政规范性文件12件，行政许可2293件。"),
                ("三、收到和处理政府信息公开申请情况",
                 "本年度共收到申请86件，其中本年新收政府信息公开申请83件，上年结转3件，予以公开21件。"),
                ("四、政府信息公开行政复议、行政诉讼情况", "本年度被申请行政复议3件，提起行政诉讼6件。")):
            text = text.replace(heading, heading + ("" if layout == "blob" else "\n") + sentence)
        rec = parse(text)
        for key in r.rows3():
            if layout != "blob" or key != "total_processed":  # glued 7710020 has two readings
                assert row(rec, key) == r.t3[key], (layout, key)
        assert rec["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 2, "pending": 0, "total": 3}
        assert rec["active_disclosure"]["licensing_decisions"] == 2293
        assert not [w for w in rec["warnings"] if w["code"] == "row_repeated"], layout


def _with_fee_section(text: str, layout: str, figures: list[str]) -> str:
    sep = {"tab": "\t", "pipe": " | ", "space": " "}[layout]
    head = ["发出收费通知的件数（件）", "发出收费通知的总金额（元）", "实际收取的总金额（元）"]
    wrap = (lambda cells: "| " + sep.join(cells) + " |") if layout == "pipe" else sep.join
    section = ("五、信息处理费收取情况\n本年度按照《政府信息公开信息处理费管理办法》收取信息处理费情况如下。\n"
               + wrap(head) + "\n" + wrap(figures) + "\n")
    text = text.replace("六、其他需要报告的事项", "七、其他需要报告的事项")
    return text.replace("五、存在的主要问题及改进情况", section + "六、存在的主要问题及改进情况")


def test_fee_section_after_table4_is_its_own_table_and_read_into_the_record(report_text):
    for layout in ("tab", "pipe", "space"):
        r = report_text("2021", layout)
        rec = parse(_with_fee_section(r.text(), layout, ["2", "300", "100.5"]),
                    "测试县人民政府_2021.md" if layout == "pipe" else "测试县人民政府_2021.txt")
        assert rec["processing_fees"] == {"fee_notices": 2, "fee_notice_amount": 300, "fee_collected": 100.5}, layout
        fee_cells = [c for c in rec["cells"] if c["table"] == "processing_fees"]
        assert [c["raw"] for c in fee_cells] == ["2", "300", "100.5"] and all(c["where"] for c in fee_cells)
        assert rec["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 2, "pending": 0, "total": 3}
        assert rec["sections"]["problems"].startswith("部分栏目更新不及时")
    # a township's table 4 printed blank loses its cells in flattened text: the fee figures
    # after it must not become table 4's
    r = report_text("2021", "space")
    r.t4 = [None] * 15
    rec = parse(_with_fee_section(r.text(), "space", ["0", "0", "0"]))
    assert rec["review_litigation"] == {}
    assert rec["processing_fees"] == {"fee_notices": 0, "fee_notice_amount": 0, "fee_collected": 0}


def test_fee_figures_reach_the_warehouse_cells(report_text, tmp_path):
    import duckdb

    from analytics.warehouse import load_records
    from fixtures.records import findings_of, fresh_warehouse

    rec = parse(_with_fee_section(report_text("2021", "tab").text(), "tab", ["2", "300", "100.5"]))
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [rec])
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute("SELECT row_key, value, kind, raw FROM cells WHERE tbl = 'processing_fees' ORDER BY row_key").fetchall()
        labels = con.execute("SELECT key FROM field_labels WHERE tbl = 'fees' ORDER BY key").fetchall()
    finally:
        con.close()
    assert rows == [("fee_collected", 100.5, "number", "100.5"), ("fee_notice_amount", 300.0, "number", "300"),
                    ("fee_notices", 2.0, "number", "2")]
    assert labels == [("fee_collected",), ("fee_notice_amount",), ("fee_notices",)]
    assert not [f for f in findings_of(db) if "processing_fees" in f[2]]  # money is no count
