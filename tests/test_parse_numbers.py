"""Numbers no report prints (exponent forms, counts past 2^53) are refused with a warning, never
read as a neighbouring figure; invisible characters leave agency names, and the change is said."""

from __future__ import annotations

import pytest

from analytics.parsing.cells import read_cell
from analytics.warehouse import connect_read, load_records
from fixtures.records import fresh_warehouse, make_record
from fixtures.report_text import ReportText, parse, row

BIG = 2**53 + 1  # the first integer a DOUBLE cannot hold: it would come back as 2^53


def _warnings(record: dict, code: str) -> list[dict]:
    return [w for w in record["warnings"] if w["code"] == code]


def _cell(record: dict, table: str, row_key: str, col: str) -> dict:
    [cell] = [c for c in record["cells"] if (c["table"], c["row"], c["col"]) == (table, row_key, col)]
    return cell


@pytest.mark.parametrize("layout", ["tab", "pipe", "space"])
@pytest.mark.parametrize("raw", ["8.0e1", "3.4E+1", "1e2"])
def test_an_exponent_form_is_refused_with_a_warning(layout, raw):
    rt = ReportText(layout=layout)
    rt.t3["new_received"][0] = raw
    record = parse(rt.text())
    assert row(record, "new_received")[0] is None  # not 8.0, 3.4 or 1
    cell = _cell(record, "applications", "new_received", "natural_person")
    assert (cell["raw"], cell["kind"], cell["value"]) == (raw, "text", None)
    [warning] = _warnings(record, "number_unreadable")
    assert raw in warning["message"] and "科学计数法" in warning["message"] and warning["where"]
    # the other cells of the row are read as printed
    assert row(record, "new_received")[1:] == [1, 0, 0, 2, 0, 83]


def test_a_count_past_two_to_the_53_is_refused_with_a_warning():
    rt = ReportText()
    rt.t3["new_received"][6] = str(BIG)
    record = parse(rt.text())
    assert record["applications"]["new_received"]["total"] is None
    cell = _cell(record, "applications", "new_received", "total")
    assert (cell["raw"], cell["kind"]) == (str(BIG), "text")
    [warning] = _warnings(record, "number_unreadable")
    assert str(BIG) in warning["message"] and "2^53" in warning["message"]


@pytest.mark.parametrize("raw, expected", [(str(2**53), ("number", 2**53)), ("1e5", ("text", None)),
                                           ("96171.6", ("number", 96171.6)), ("22（其中修订16件）", ("text", 22)),
                                           (f"{BIG}元", ("text", None))])
def test_read_cell_keeps_exact_numbers_and_refuses_the_rest(raw, expected):
    assert read_cell(raw) == expected


def _stored(db, report_id: int, row_key: str, col: str):
    con = connect_read(db)
    try:
        return con.execute("SELECT value, kind, raw FROM cells WHERE report_id = ? AND row_key = ? AND col_key = ?",
                           [report_id, row_key, col]).fetchone()
    finally:
        con.close()


def test_a_record_with_a_count_past_two_to_the_53_is_stored_blank_with_its_text(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    record = make_record("测试县人民政府", 2021)
    record["applications"]["granted"]["natural_person"] = BIG
    record["applications"]["granted"]["commercial"] = 2**53
    [rid] = load_records(db, [record])
    value, kind, raw = _stored(db, rid, "granted", "natural_person")
    assert (value, kind, raw) == (None, "text", str(BIG))  # never 9007199254740992
    assert _stored(db, rid, "granted", "commercial") == (float(2**53), "number", str(2**53))
    con = connect_read(db)
    try:
        warnings = con.execute("SELECT n_warnings, CAST(warnings AS VARCHAR) FROM reports").fetchone()
    finally:
        con.close()
    assert warnings[0] == 1 and str(BIG) in warnings[1] and "number_unreadable" in warnings[1]


def test_invisible_characters_do_not_make_a_second_agency(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    clean = make_record("测试县人民政府", 2021)
    dirty = make_record("测试县\x00人民\u200d政府\ufeff", 2022)
    load_records(db, [clean, dirty])
    con = connect_read(db)
    try:
        agencies = con.execute("SELECT agency_id, name FROM agencies").fetchall()
        rows = con.execute("SELECT year, agency_id, CAST(warnings AS VARCHAR) FROM reports ORDER BY year").fetchall()
    finally:
        con.close()
    assert agencies == [("测试县人民政府", "测试县人民政府")]
    assert [r[:2] for r in rows] == [(2021, "测试县人民政府"), (2022, "测试县人民政府")]
    assert "agency_cleaned" not in rows[0][2]
    assert "agency_cleaned" in rows[1][2] and "U+0000" in rows[1][2] and "U+200D" in rows[1][2]


def test_the_parser_takes_invisible_characters_out_of_the_agency_name():
    record = parse(ReportText(title="测试\u200b县人民\x00政府2021年政府信息公开工作年度报告").text(), name="报告.txt")
    assert record["agency"] == "测试县人民政府"
    [warning] = _warnings(record, "agency_cleaned")
    assert "U+200B" in warning["message"] and "U+0000" in warning["message"]
