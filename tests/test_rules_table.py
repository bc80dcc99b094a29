"""Every in-report rule fires on a record built to break it, and stays quiet on a clean one."""

from __future__ import annotations

import pytest

from analytics.warehouse import connect_read, load_records
from fixtures.records import findings_of, fresh_warehouse, make_record

AGENCY = "江苏省淮安市教育局"


@pytest.fixture
def db(tmp_path):
    return fresh_warehouse(tmp_path / "w.duckdb")


def test_a_consistent_report_has_no_findings(db):
    load_records(db, [make_record(AGENCY, 2023)])
    assert findings_of(db) == []


def test_t3_flow_and_outcome_sum_name_the_column_and_the_numbers(db):
    r = make_record(AGENCY, 2023)
    r["applications"]["new_received"]["commercial"] = 5  # 5+0 ≠ 1+0; the row total is now off too
    r["applications"]["granted"]["natural_person"] = 25  # outcomes 82 ≠ processed 77
    r["applications"]["granted"]["total"] = 26
    load_records(db, [r])
    flow = findings_of(db, "T3_FLOW")
    assert [(f[1], f[2], f[3], f[4]) for f in flow] == [("error", "commercial", 5.0, 1.0)]
    assert "新收加上年结转为 5" in flow[0][5]
    outcome = {f[2]: (f[3], f[4]) for f in findings_of(db, "T3_OUTCOME_SUM")}
    assert outcome == {"natural_person": (82.0, 77.0), "total": (85.0, 80.0)}
    column = findings_of(db, "T3_COLUMN_SUM")
    assert [(f[2], f[3], f[4]) for f in column] == [("new_received", 87.0, 83.0)]


def test_other_total_of_the_2019_template_counts_as_other_handling(db):
    load_records(db, [make_record(AGENCY, 2020, template="2019")])
    assert findings_of(db, "T3_OUTCOME_SUM") == []


def test_t4_group_sum_negative_and_not_integer(db):
    r = make_record(AGENCY, 2023)
    r["review_litigation"]["review"]["total"] = 0
    r["applications"]["refused_duplicate"]["commercial"] = -1
    r["applications"]["refused_duplicate"]["total"] = 0
    r["active_disclosure"]["licensing_decisions"] = 12.5
    r["active_disclosure"]["fees_amount"] = 3.75  # money: exempt
    load_records(db, [r])
    assert [(f[2], f[3], f[4]) for f in findings_of(db, "T4_GROUP_SUM")] == [("review", 3.0, 0.0)]
    neg = findings_of(db, "NEGATIVE")
    assert [(f[1], f[2], f[4]) for f in neg] == [("error", "applications:refused_duplicate:commercial", -1.0)]
    assert [(f[2], f[4]) for f in findings_of(db, "NOT_INTEGER")] == [("active_disclosure:licensing_decisions:value", 12.5)]


def test_signed_change_cells_of_2019_are_not_negative(db):
    r = make_record(AGENCY, 2020, template="2019")
    r["active_disclosure"]["licensing_change"] = -3
    load_records(db, [r])
    assert findings_of(db, "NEGATIVE") == []


def test_blank_total_is_a_warning_and_analytics_use_the_parts(db):
    r = make_record(AGENCY, 2023)
    r["applications"]["granted"]["total"] = None
    load_records(db, [r])
    assert [(f[1], f[2], f[3]) for f in findings_of(db, "T3_BLANK_TOTAL")] == [("warning", "granted", 21.0)]
    assert findings_of(db, "T3_COLUMN_SUM") == [] and findings_of(db, "T3_OUTCOME_SUM") == []
    con = connect_read(db)
    assert con.execute("SELECT a_granted, a_total_derived FROM report_wide").fetchone() == (21.0, 1)


def test_all_blank_inputs_are_not_assessable(db):
    r = make_record(AGENCY, 2023)
    for row in r["applications"].values():
        for col in row:
            row[col] = None
    r["review_litigation"] = {}
    load_records(db, [r])
    sev = {(f[0], f[1]) for f in findings_of(db)}
    assert {("T3_FLOW", "not_assessable"), ("T3_OUTCOME_SUM", "not_assessable"),
            ("T4_GROUP_SUM", "not_assessable")} <= sev
    assert not any(s == "error" for _, s in sev)


def test_template_year_and_implausible_level(db):
    r = make_record("淮安市洪泽区岔河镇人民政府", 2022, template="2019")
    r["active_disclosure"]["regulations_new_made"] = 2
    city = make_record("江苏省淮安市人民政府", 2023)
    city["active_disclosure"]["regulations_issued"] = 2
    load_records(db, [r, city])
    assert [f[2] for f in findings_of(db, "TEMPLATE_YEAR")] == ["template"]
    level = findings_of(db, "IMPLAUSIBLE_LEVEL")
    assert len(level) == 1 and "township" in level[0][5] and level[0][4] == 2.0


def test_prose_rules(db):
    sections = {
        "overview": "2022年，本机关认真贯彻落实条例。全年共收到政府信息公开申请90件，行政复议3件。",
        "problems": "无",
        "other_matters": "本机关未收取信息处理费。",
    }
    r = make_record(AGENCY, 2023, sections=sections)
    r["applications"]["other_no_fee"] = {c: 0 for c in r["applications"]["other_misc"]}
    r["applications"]["other_no_fee"]["natural_person"] = 1
    r["applications"]["other_no_fee"]["total"] = 1
    r["applications"]["other_misc"]["natural_person"] -= 1
    r["applications"]["other_misc"]["total"] -= 1
    load_records(db, [r])
    year = findings_of(db, "YEAR_IN_TEXT")
    assert [(f[3], f[4]) for f in year] == [(2023.0, 2022.0)]
    text = {f[2]: (f[3], f[4]) for f in findings_of(db, "TEXT_VS_TABLE")}
    assert text == {"new_received": (83.0, 90.0)}  # review: 3 in both
    missing = findings_of(db, "SECTION_MISSING")
    assert len(missing) == 1 and "五、存在的主要问题及改进情况" in missing[0][5]
    fee = findings_of(db, "FEE_WITHOUT_NOTE")
    assert len(fee) == 1 and fee[0][4] == 1.0
    assert {f[0] for f in findings_of(db)} == {"YEAR_IN_TEXT", "TEXT_VS_TABLE", "SECTION_MISSING", "FEE_WITHOUT_NOTE"}


def test_reports_without_prose_skip_the_prose_rules(db):
    r = make_record(AGENCY, 2023)
    del r["sections"]
    load_records(db, [r])
    assert findings_of(db) == []
