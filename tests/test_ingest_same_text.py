"""The same report in a second file (another name, other line endings, a BOM, full-width
spaces) is one report: it is logged as a duplicate naming the first file, and adds no agency
and no figures."""

from __future__ import annotations

from analytics.warehouse import connect_read
from analytics.warehouse.ingest import ingest
from fixtures.records import fresh_warehouse
from fixtures.report_text import ReportText

# No agency in the title: the agency comes from the file name, as in the reproduced case.
TITLE = "2021年政府信息公开工作年度报告"


def _text(**t3_changes) -> str:
    rt = ReportText(title=TITLE)
    for key, values in t3_changes.items():
        rt.t3[key] = values
    return rt.text()


def _rewritten(text: str) -> bytes:
    """The same text as another tool saves it: CRLF, a byte-order mark, a full-width space and
    trailing blanks on every line, in GB18030."""
    lines = [line.replace(" ", "\u3000", 1) + "  " for line in text.split("\n")]
    return "\ufeff".encode("gb18030") + "\r\n".join(lines).encode("gb18030")


def _totals(db) -> tuple[int, int, int, float]:
    con = connect_read(db)
    try:
        agencies = con.execute("SELECT count(*) FROM agencies").fetchone()[0]
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        current = con.execute("SELECT count(*) FROM report_wide WHERE is_current").fetchone()[0]
        received = con.execute(
            "SELECT sum(c.value) FROM cells c JOIN reports r USING (report_id) "
            "WHERE r.is_current AND c.tbl = 'applications' AND c.row_key = 'new_received' AND c.col_key = 'total'"
        ).fetchone()[0]
    finally:
        con.close()
    return agencies, reports, current, received


def test_a_second_file_with_the_same_text_is_a_duplicate_naming_the_first(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = tmp_path / "甲县人民政府_2021.txt"
    first.write_text(_text(), encoding="utf-8")
    again = tmp_path / "乙县人民政府_2021.txt"
    again.write_bytes(_rewritten(_text()))
    ingest([first], db=db, progress=False)
    before = _totals(db)
    assert before == (1, 1, 1, 83)

    summary = ingest([again], db=db, progress=False)
    [result] = summary.results
    assert result.status == "duplicate"
    assert str(first) in result.reason and "同一份报告" in result.reason and "乙县人民政府" in result.reason
    assert _totals(db) == before  # no second agency, the year's totals not doubled
    con = connect_read(db)
    try:
        log = con.execute("SELECT status, reason FROM ingest_log WHERE path = ?", [str(again)]).fetchall()
        names = [r[0] for r in con.execute("SELECT name FROM agencies").fetchall()]
    finally:
        con.close()
    assert log == [("duplicate", result.reason)]
    assert names == ["甲县人民政府"]


def test_both_files_in_one_batch_count_once(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "甲县人民政府_2021.txt").write_text(_text(), encoding="utf-8")
    (folder / "乙县人民政府_2021.txt").write_bytes(_rewritten(_text()))
    summary = ingest([folder], db=db, progress=False)
    first, second = summary.results  # in the order the folder is read
    assert first.status == "loaded" and second.status == "duplicate"
    assert first.path in second.reason
    assert _totals(db) == (1, 1, 1, 83)


def test_a_text_that_differs_in_one_figure_is_another_report(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = tmp_path / "甲县人民政府_2021.txt"
    first.write_text(_text(), encoding="utf-8")
    other = tmp_path / "乙县人民政府_2021.txt"
    other.write_bytes(_rewritten(_text(carried_over=[4, 0, 0, 0, 0, 0, 4])))
    summary = ingest([first, other], db=db, progress=False)
    assert all(r.status.startswith("loaded") for r in summary.results)
    assert _totals(db)[:3] == (2, 2, 2)


def test_the_same_text_under_the_same_agency_and_year_is_kept_as_a_version(tmp_path):
    """A report's web page and its text copy: both kept, one current, the figures once."""
    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = tmp_path / "甲县人民政府_2021.txt"
    first.write_text(_text(), encoding="utf-8")
    copy = tmp_path / "甲县人民政府_2021_副本.txt"
    copy.write_bytes(_rewritten(_text()))
    summary = ingest([first, copy], db=db, progress=False)
    assert all(r.status.startswith("loaded") for r in summary.results)
    assert _totals(db) == (1, 2, 1, 83)


def test_the_command_line_names_both_files(tmp_path, capsys):
    from analytics.cli import main

    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = tmp_path / "甲县人民政府_2021.txt"
    first.write_text(_text(), encoding="utf-8")
    again = tmp_path / "乙县人民政府_2021.txt"
    again.write_bytes(_rewritten(_text()))
    assert main(["ingest", str(first), str(again), "--db", db, "--quiet"]) == 0
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if x.strip().startswith("重复")]
    assert str(again) in line and str(first) in line


def test_an_upload_with_a_loaded_text_adds_no_report(tmp_path):
    from analytics.dashboard.uploads import accept
    from analytics.warehouse import load_records

    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = tmp_path / "甲县人民政府_2021.txt"
    first.write_text(_text(), encoding="utf-8")
    ingest([first], db=db, progress=False)
    up = accept("乙县人民政府_2021.txt", _rewritten(_text()), folder=tmp_path / "uploads")
    assert up.error is None and up.record["agency"] == "乙县人民政府"
    assert load_records(db, [up.record], log_as=[up.name]) == []
    assert _totals(db) == (1, 1, 1, 83)
    con = connect_read(db)
    try:
        status, reason = con.execute("SELECT status, reason FROM ingest_log WHERE path = ?", [up.name]).fetchone()
    finally:
        con.close()
    assert status == "duplicate" and str(first) in reason
