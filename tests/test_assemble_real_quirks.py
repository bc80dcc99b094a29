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
