"""Rules across years of one agency and across agencies, on reports built to break them."""

from __future__ import annotations

import pytest

from analytics.warehouse import connect_read, load_records
from fixtures.records import PROSE, findings_of, fresh_warehouse, make_record, with_carry

AGENCY = "江苏省淮安市教育局"


@pytest.fixture
def db(tmp_path):
    return fresh_warehouse(tmp_path / "w.duckdb")


def test_a_consistent_pair_of_years_has_no_cross_year_findings(db):
    first = with_carry(make_record(AGENCY, 2022), [3, 0, 0, 0, 0, 0], [6, 0, 0, 0, 0, 0])
    second = with_carry(make_record(AGENCY, 2023), [6, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    second["active_disclosure"]["normative_in_force"] = 150 + 12 - 3
    load_records(db, [first, second])
    assert [f for f in findings_of(db) if f[0].startswith("X_")] == []


def test_pair_built_to_break_the_cross_year_rules(db):
    first = with_carry(make_record(AGENCY, 2022), [3, 0, 0, 0, 0, 0], [6, 1, 0, 0, 0, 0])
    second = with_carry(make_record(AGENCY, 2023), [4, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    # stock: 150 last year + 12 issued − 3 repealed = 159, but 200 reported
    second["active_disclosure"]["normative_in_force"] = 200
    # jump: licensing decisions 2293 → 100 (below 0.2×)
    second["active_disclosure"]["licensing_decisions"] = 100
    load_records(db, [first, second])
    carry = {f[2]: (f[3], f[4]) for f in findings_of(db, "X_CARRYOVER")}
    assert carry == {"natural_person": (6.0, 4.0), "commercial": (1.0, 0.0), "total": (7.0, 4.0)}
    stock = findings_of(db, "X_STOCK")
    assert [(f[2], f[3], f[4]) for f in stock] == [("normative", 159.0, 200.0)]
    jump = findings_of(db, "X_JUMP")
    assert [(f[2], f[3], f[4]) for f in jump] == [("ad_licensing_decisions", 2293.0, 100.0)]
    assert {f[1] for f in findings_of(db) if f[0].startswith("X_")} == {"warning"}


def test_small_stock_gaps_and_small_figures_are_normal(db):
    first = make_record(AGENCY, 2022)
    second = make_record(AGENCY, 2023)
    second["active_disclosure"]["normative_in_force"] = 150 + 12 - 3 + 2  # two revisions: a gap of 2
    first["active_disclosure"]["coercion_decisions"] = 3
    second["active_disclosure"]["coercion_decisions"] = 19  # >5× but under 20 on the larger side
    load_records(db, [first, second])
    assert findings_of(db, "X_STOCK") == [] and findings_of(db, "X_JUMP") == []


def test_missing_year_between_two_reports(db):
    load_records(db, [make_record(AGENCY, 2020, template="2019"), make_record(AGENCY, 2023)])
    missing = findings_of(db, "X_MISSING_YEAR")
    assert [f[2] for f in missing] == ["year", "year"]
    con = connect_read(db)
    years = [r[0] for r in con.execute("SELECT year FROM findings WHERE rule = 'X_MISSING_YEAR' ORDER BY year").fetchall()]
    assert years == [2021, 2022]
    # the year arrives later: the finding goes away
    load_records(db, [make_record(AGENCY, 2021), make_record(AGENCY, 2022)])
    assert findings_of(db, "X_MISSING_YEAR") == []


def test_parent_below_the_sum_of_its_parts(db):
    parent = make_record("江苏省淮安市人民政府", 2023, scope="jurisdiction")
    parts = [make_record("淮安市洪泽区人民政府", 2023), make_record("淮安市淮安区人民政府", 2023)]
    load_records(db, parts)  # the parts first: the parent's finding must appear when it arrives
    load_records(db, [parent])
    con = connect_read(db)
    assert con.execute("SELECT DISTINCT parent_id FROM report_wide WHERE kind = 'government' AND level = 'county'"
                       ).fetchall() == [("江苏省淮安市人民政府",)]
    h = {f[2]: (f[3], f[4]) for f in findings_of(db, "H_SUM")}
    assert h == {"a_new_received": (166.0, 83.0), "rv_total": (6.0, 3.0), "ld_total": (12.0, 6.0),
                 "la_total": (10.0, 5.0)}


def test_manifest_parents_link_fictional_agencies(db):
    parent = make_record("云溪县人民政府", 2023, scope="jurisdiction")
    parent["applications"]["new_received"]["total"] = 500
    parts = [make_record("云溪县教育局", 2023), make_record("云溪县民政局", 2023)]
    info = {"云溪县教育局": {"parent": "云溪县人民政府", "level": "county", "kind": "department"},
            "云溪县民政局": {"parent": "云溪县人民政府", "level": "county", "kind": "department"}}
    load_records(db, [parent] + parts, dataset="demo", agency_info=info)
    # 500 new applications cover the parts' 166; the review and litigation totals do not
    assert {f[2] for f in findings_of(db, "H_SUM")} == {"ld_total", "la_total", "rv_total"}


def test_duplicate_prose_across_agencies_and_years(db):
    shared = PROSE * 6
    a = make_record("江苏省淮安市教育局", 2023, sections={"overview": shared, "problems": "一是…", "other_matters": "无"})
    b = make_record("江苏省淮安市民政局", 2023, sections={"overview": shared + "民政", "problems": "一是…",
                                                      "other_matters": "无"})
    c = make_record("江苏省淮安市财政局", 2023)
    c["sections"]["overview"] = "财政局今年的工作围绕预算公开展开，" * 20
    load_records(db, [a, c])
    assert findings_of(db, "DUPLICATE_TEXT") == []
    load_records(db, [b])  # the copy arrives later: both reports get their finding
    dup = findings_of(db, "DUPLICATE_TEXT")
    assert sorted(f[2] for f in dup) == ["江苏省淮安市教育局:2023", "江苏省淮安市民政局:2023"]
    assert all(f[4] >= 0.8 for f in dup)


def test_prose_shared_by_very_many_reports_is_template_wording(db):
    shared = {"overview": PROSE * 6, "problems": "一是…", "other_matters": "无"}
    load_records(db, [make_record(f"江苏省淮安市第{i}局", 2023, sections=dict(shared)) for i in range(60)])
    assert findings_of(db, "DUPLICATE_TEXT") == []
