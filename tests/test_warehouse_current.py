"""Which version of a report is current: the one published last, then the one loaded last.
Loading an older text again adds a version, keeps the current figures and says so."""

from __future__ import annotations

import duckdb

from analytics.warehouse import connect_read, load_records
from analytics.warehouse.ingest import ingest
from fixtures.records import fresh_warehouse, make_record
from fixtures.report_text import ReportText


def _version(published: str | None, granted: int) -> dict:
    record = make_record("测试县人民政府", 2021, published=published)
    record["applications"]["granted"]["natural_person"] = granted
    return record


def _current(db) -> list[tuple]:
    """(report_id, published, granted natural_person) of the current versions, from reports,
    report_wide and the cells, which must agree."""
    con = connect_read(db)
    try:
        rows = con.execute(
            "SELECT r.report_id, CAST(r.published AS VARCHAR), c.value FROM reports r JOIN cells c USING (report_id) "
            "WHERE r.is_current AND c.row_key = 'granted' AND c.col_key = 'natural_person' ORDER BY r.report_id").fetchall()
        wide = con.execute("SELECT report_id FROM report_wide WHERE is_current ORDER BY report_id").fetchall()
    finally:
        con.close()
    assert [(r[0],) for r in rows] == wide
    return rows


def test_an_older_text_loaded_later_does_not_become_current(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    [new] = load_records(db, [_version("2022-03-01", 20)])
    [old] = load_records(db, [_version("2022-01-20", 19)])
    assert _current(db) == [(new, "2022-03-01", 20)]
    # ... and a text published later still replaces it
    [newer] = load_records(db, [_version("2022-04-15", 21)])
    assert new < old < newer and _current(db) == [(newer, "2022-04-15", 21)]


def test_in_one_batch_the_date_decides_not_the_order(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    new, old = load_records(db, [_version("2022-03-01", 20), _version("2022-01-20", 19)])
    assert _current(db) == [(new, "2022-03-01", 20)]


def test_same_date_or_no_date_the_last_loaded_is_current(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [_version("2022-03-01", 20)])
    [same_day] = load_records(db, [_version("2022-03-01", 22)])
    assert _current(db) == [(same_day, "2022-03-01", 22)]
    [undated] = load_records(db, [_version(None, 23)])
    assert _current(db) == [(undated, None, 23)]
    # an undated version does not let an older dated text back in
    load_records(db, [_version("2022-02-01", 18)])
    assert _current(db) == [(undated, None, 23)]


def _dated_text(date: str, granted: int) -> str:
    rt = ReportText()
    rt.t3["granted"][0] = granted
    rt.t3["granted"][6] = granted + 1
    lines = rt.text().split("\n")
    return "\n".join([lines[0], f"发布日期：{date}", *lines[1:]])


def test_the_log_says_why_an_ingested_file_is_not_current(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    new = tmp_path / "测试县人民政府_2021_更正.txt"
    new.write_text(_dated_text("2022-03-01", 20), encoding="utf-8")
    old = tmp_path / "测试县人民政府_2021.txt"
    old.write_text(_dated_text("2022-01-20", 19), encoding="utf-8")
    ingest([new], db=db, progress=False)
    [result] = ingest([old], db=db, progress=False).results
    assert result.status.startswith("loaded")
    assert "旧版本" in result.reason and str(new) in result.reason and "2022-01-20" in result.reason
    con = connect_read(db)
    try:
        current = con.execute("SELECT source_path FROM reports WHERE is_current").fetchall()
        logged = con.execute("SELECT reason FROM ingest_log WHERE path = ?", [str(old)]).fetchone()[0]
    finally:
        con.close()
    assert current == [(str(new),)] and logged == result.reason


def test_a_warehouse_written_with_the_old_rule_is_corrected_on_upgrade(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    new, old = load_records(db, [_version("2022-03-01", 20), _version("2022-01-20", 19)])
    other = load_records(db, [make_record("另一县人民政府", 2021)])
    # What the old loader left: the last loaded version current, and a stale definitions hash.
    con = duckdb.connect(db)
    con.execute("UPDATE reports SET is_current = (report_id = ?) WHERE agency_id = '测试县人民政府'", [old])
    con.execute("UPDATE report_wide SET is_current = (report_id = ?) WHERE agency_id = '测试县人民政府'", [old])
    con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema'")
    con.close()
    assert _current(db)[0][0] == new  # connect_read upgraded the file before reading it
    con = connect_read(db)
    try:
        flags = con.execute("SELECT report_id, is_current FROM reports ORDER BY report_id").fetchall()
    finally:
        con.close()
    assert flags == [(new, True), (old, False), (other[0], True)]


def test_the_command_line_names_the_older_file_and_why(tmp_path, capsys):
    from analytics.cli import main

    db = fresh_warehouse(tmp_path / "w.duckdb")
    new = tmp_path / "测试县人民政府_2021_更正.txt"
    new.write_text(_dated_text("2022-03-01", 20), encoding="utf-8")
    old = tmp_path / "测试县人民政府_2021.txt"
    old.write_text(_dated_text("2022-01-20", 19), encoding="utf-8")
    assert main(["ingest", str(new), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ingest", str(old), "--db", db, "--quiet"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "旧版本" in line]
    assert len(lines) == 1 and str(old) in lines[0] and str(new) in lines[0] and "warnings" not in lines[0]
