"""Glued digit runs: split under the table rules, ambiguity reported and never guessed."""

from __future__ import annotations

import time

from analytics.fields import REVIEW_COLS, REVIEW_GROUPS
from analytics.parsing.glued import Group, split_tokens
from fixtures.report_text import parse, rebalance, row

ROW7 = [Group(7, True)]


def test_row_sum_gives_the_only_split():
    assert split_tokens(["801000081"], ROW7) == [("80", "1", "0", "0", "0", "0", "81")]
    # spaces that a converter left are boundaries, but tokens may still hold several cells
    assert split_tokens(["230", "000023"], ROW7) == [("23", "0", "0", "0", "0", "0", "23")]


def test_split_keeps_signs_and_decimal_tails():
    sols = split_tokens(["396-3181"], [Group(3, False)])
    assert ("396", "-3181") not in sols
    assert all(len(s) == 3 for s in sols)
    sols = split_tokens(["13575394432.52元"], [Group(2, False)])
    assert ("135", "75394432.52元") in sols and len(sols) > 1


def test_whole_report_glued_on_one_line_reads_every_cell(report_text):
    r = report_text("2021", "blob")
    rebalance(r.t3)
    rec = parse(r.text())
    for key in r.rows3():
        assert row(rec, key) == r.t3[key], key
    got4 = [rec["review_litigation"][g][c] for g in REVIEW_GROUPS for c in REVIEW_COLS]
    assert got4 == r.t4


def test_cross_row_rules_decide_a_row_the_row_sum_cannot(report_text):
    r = report_text("2021", "blob")
    # "220000325" splits as 22,0,0,0,0,3,25 or 2,20,0,0,0,3,25; only the first fits T3_OUTCOME_SUM
    r.t3["unable_not_held"] = [22, 0, 0, 0, 0, 3, 25]
    rebalance(r.t3)
    rec = parse(r.text())
    assert row(rec, "unable_not_held") == [22, 0, 0, 0, 0, 3, 25]
    assert not [w for w in rec["warnings"] if w["code"] == "glued_ambiguous" and "unable_not_held" in w["message"]]


def test_ambiguous_split_leaves_cells_out_with_a_warning():
    text = ("某局2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
            "一、本年新收政府信息公开申请数量220000325\n二、上年结转政府信息公开申请数量0000000\n")
    rec = parse(text, "某局_2021.txt")
    got = row(rec, "new_received")
    # natural_person/commercial may be 22,0 or 2,20: both left out; the agreed cells are kept
    assert got == ["ABSENT", "ABSENT", 0, 0, 0, 3, 25]
    codes = {w["code"] for w in rec["warnings"]}
    assert "glued_ambiguous" in codes and "cell_missing" in codes


def test_table2_glued_runs_are_never_guessed(report_text):
    r = report_text("2019", "blob")
    rec = parse(r.text(), "测试县人民政府_2019.txt")
    ad = rec["active_disclosure"]
    assert "procurement_items" not in ad and "procurement_amount" not in ad
    assert any("procurement" in w["message"] for w in rec["warnings"])
    # "126025" is 126/0/25 or 12/60/25 or 1/260/25 …: no relation of the table decides, so a
    # lone 0 between two numbers is not taken for the change; the cells are left out and named
    assert not {"coercion_prev_items", "coercion_change", "coercion_decisions"} & set(ad)
    assert any(w["code"] == "glued_ambiguous" and "coercion" in w["message"] for w in rec["warnings"])
    assert not any(w["code"] == "glued_guess" for w in rec["warnings"])
    # "000" has one split only
    assert (ad["regulations_new_made"], ad["regulations_new_published"], ad["regulations_total_published"]) == (0, 0, 0)


def test_glued_split_prunes_instead_of_enumerating():
    digits = "1" * 60  # no split can satisfy three group sums; must still be fast
    start = time.process_time()
    assert split_tokens([digits], [Group(5, True)] * 3) == []
    assert time.process_time() - start < 1.0


def test_few_values_for_many_cells_are_not_placed_by_a_truncated_search(report_text):
    r = report_text("2021", "tab")
    r.t4 = [None, None, None, None, 0, None, None, None, None, 0, None, None, None, None, 0]
    text = r.text().replace("\t".join(["", "", "", "", "0"] * 3).strip("\t"), "0\t0\t0")
    rec = parse(text)
    # three values for fifteen cells: every placement is possible, so nothing is claimed
    assert rec["review_litigation"] == {}
    assert any(w["code"] == "table_unreadable" for w in rec["warnings"])
