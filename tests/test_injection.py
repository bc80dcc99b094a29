"""Hostile text from documents is never interpreted: not as Markdown on the dashboard, not as a
formula in a CSV or Excel export, and not cut at Excel's cell limit.

The export tests ingest real report texts whose agency names are formulas into a DuckDB warehouse
and read every exported file back (openpyxl, csv, pyarrow): no workbook cell may be a formula, and
every risky CSV cell must start with an apostrophe. The Markdown escaping is checked here on its
output and in tests/test_browser_injection.py on what Streamlit really draws.
"""

from __future__ import annotations

import csv
import io
import string

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from analytics.dashboard import ui
from analytics.dashboard.safe_text import JOINER, md
from analytics.warehouse import cell_safety, connect_read
from analytics.warehouse.export import export
from analytics.warehouse.ingest import ingest
from fixtures.hostile_text import HOSTILE_MARKDOWN, as_shown
from fixtures.records import fresh_warehouse
from fixtures.report_text import ReportText
from robustness_plugin import tally

PLAIN_CHINESE = ["测试县人民政府", "平潭综合实验区管委会（演示）", "二〇二一年度 政府信息公开", "《条例》第二十条“主动公开”"]


def _unescape(markdown: str) -> str:
    """Undo ``md`` the way a CommonMark parser would, failing on any character left unescaped."""
    out, i = [], 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\":
            assert markdown[i + 1] in string.punctuation, markdown
            out.append(markdown[i + 1])
            i += 2
            continue
        assert ch not in string.punctuation, f"unescaped {ch!r} in {markdown!r}"
        assert ch not in "\r\n", markdown
        if ch != JOINER:
            out.append(ch)
        i += 1
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_md_escapes_every_markdown_character(text):
    out = md(text)
    assert _unescape(out) == as_shown(text)
    # what Streamlit links or replaces after parsing: http://, mailto-like a@b, www., :streamlit:
    for pattern in ("://", ":streamlit:", "www.", "@b"):
        assert pattern not in out.replace("\\", "")
    tally("Markdown injection (names, messages)", "escaped")


def test_md_keeps_plain_chinese_text_unchanged():
    for text in PLAIN_CHINESE:
        assert md(text) == text
    assert md(None) == "" and md(2021) == "2021"


FORMULAS = ['=HYPERLINK("http://127.0.0.1:1/x","点")', "@SUM(1)", "+1+1", "-2+3+cmd|' /C calc'!A0",
            "=1+1", "\t=1", "\r=1", "-", "--", "+", "@", "=", "-3+2", "-1,234", "- 列表"]
UNCHANGED = ["测试县人民政府", "某局=HYPERLINK", "3-1", "-3", "+1.5", "-0.25", "-1e5", ".5", "", " =1", "＝1"]


def test_cell_neutralises_formula_starts():
    for text in FORMULAS:
        assert cell_safety.cell(text) == "'" + text, text
    for value in UNCHANGED + [-3, -2.5, 0, 7, None, True]:
        assert cell_safety.cell(value) == value or value != value
    tally("formula injection (cell values)", "neutralised", len(FORMULAS))


def test_arrow_and_pandas_agree_with_the_cell_rule():
    values = FORMULAS + UNCHANGED + [None]
    expected = [cell_safety.cell(v) for v in values]
    assert cell_safety.arrow_column(pa.array(values)).to_pylist() == expected
    assert cell_safety.arrow_column(pa.chunked_array([values[:5], values[5:]])).to_pylist() == expected
    assert cell_safety.arrow_column(pa.array(values, pa.large_string())).to_pylist() == expected
    assert cell_safety.arrow_column(pa.array(values).dictionary_encode()).to_pylist() == expected
    assert cell_safety.arrow_column(pa.array([-3, 4])).to_pylist() == [-3, 4]
    frame = pd.DataFrame({"=名称": values, "读数": [-3.0] * len(values)})
    safe = cell_safety.frame(frame)
    assert list(safe.columns) == ["'=名称", "读数"]
    assert safe["'=名称"].tolist()[:-1] == expected[:-1] and safe["读数"].tolist() == frame["读数"].tolist()
    assert frame.columns[0] == "=名称"  # the input frame is left alone


def test_in_app_csv_download_is_safe():
    shown = pd.DataFrame({"机构": ['=HYPERLINK("http://127.0.0.1:1/x","点")某局', "@SUM(1)", "测试县人民政府"],
                          "本年增/减": [-3, 0, 12], "原文": ["-3", "\t=1", "—"]})
    rows = list(csv.reader(io.StringIO(ui.csv_bytes(shown).decode("utf-8-sig"))))
    assert rows[0] == ["机构", "本年增/减", "原文"]
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://127.0.0.1:1/x","点")某局', "'@SUM(1)", "测试县人民政府"]
    assert [r[1] for r in rows[1:]] == ["-3", "0", "12"]
    assert [r[2] for r in rows[1:]] == ["-3", "'\t=1", "—"]


def test_xlsx_pieces_rejoin_and_fit_the_limit():
    text = ("本年度𠀀公开=SUM(1)" * 9000) + "尾"
    for limit in (7, 100, cell_safety.XLSX_MAX_CHARS):
        pieces = cell_safety.xlsx_pieces(text, limit)
        assert "".join(pieces) == text
        units = [len(p.encode("utf-16-le")) // 2 for p in pieces]
        assert all(0 < u <= limit for u in units)
        assert all(u >= limit - 1 for u in units[:-1])  # full, unless a pair would be split
    assert cell_safety.xlsx_pieces("短", 7) == ["短"]


# -- exports of a real warehouse ------------------------------------------------------------------

HOSTILE_AGENCIES = ['=HYPERLINK("http://127.0.0.1:1/x","点")某局', "@SUM(1)测试县人民政府", "+1+1某局",
                    "-2+3+cmd|' /C calc'!A0某局"]
LONG_PROSE = "本年度𠀀公开工作平稳推进，=SUM(1)继续加强。" * 2500  # 62,500 characters, some beyond U+FFFF


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inject")
    folder = tmp / "reports"
    folder.mkdir()
    for i, name in enumerate(HOSTILE_AGENCIES):
        report = ReportText("2019" if i % 2 else "2021", title=f"{name}{2019 if i % 2 else 2021}年政府信息公开工作年度报告")
        text = report.text()
        if i == 0:
            text = text.replace("本年度我县认真贯彻《条例》，政府信息公开工作平稳推进。", LONG_PROSE)
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    db = fresh_warehouse(tmp / "w.duckdb")
    summary = ingest([folder], db=db, progress=False)
    con = connect_read(db)
    names = [r[0] for r in con.execute("SELECT name FROM agencies ORDER BY name").fetchall()]
    sections = con.execute("SELECT max(length(CAST(sections AS VARCHAR))) FROM reports").fetchone()[0]
    con.close()
    # the parser keeps these names whole (it drops white space): the exports get the real thing
    assert sorted(names) == sorted(n.replace(" ", "") for n in HOSTILE_AGENCIES), (names, summary)
    assert sections > cell_safety.XLSX_MAX_CHARS
    return db, names


def _warehouse_reports(db) -> list[dict]:
    con = connect_read(db)
    rows = con.execute("SELECT a.name, CAST(r.sections AS VARCHAR) AS sections FROM reports r "
                       "JOIN agencies a USING (agency_id)").fetchall()
    con.close()
    return [{"name": n, "sections": s} for n, s in rows]


def test_xlsx_has_no_formula_and_keeps_long_text(hostile_db, tmp_path):
    db, names = hostile_db
    (path,) = export(db, tmp_path, "xlsx")
    wb = load_workbook(path)  # not read-only: the cell types and styles are wanted
    n_cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                n_cells += 1
    sheet = wb["reports"]
    header = [c.value for c in sheet[1]]
    parts = [i for i, h in enumerate(header) if h == "sections" or str(h).startswith("sections_part")]
    assert len(parts) >= 2 and header[parts[1]] == "sections_part2"
    by_name = {}
    for row in sheet.iter_rows(min_row=2):
        name = row[header.index("name")]
        assert name.data_type == "s" and name.quotePrefix  # every hostile name starts a formula
        by_name[name.value] = "".join(row[i].value or "" for i in parts)
        for i in parts:
            assert row[i].value is None or len(row[i].value.encode("utf-16-le")) // 2 <= cell_safety.XLSX_MAX_CHARS
    assert sorted(by_name) == sorted(names)  # the value itself has no apostrophe added
    for report in _warehouse_reports(db):
        assert by_name[report["name"]] == report["sections"]  # long text whole, in order
    # a negative figure stays a number
    cells = wb["cells"]
    cheader = [c.value for c in cells[1]]
    values = [r[cheader.index("value")] for r in cells.iter_rows(min_row=2)
              if r[cheader.index("row_key")].value == "licensing_change"]
    assert values and all(v.data_type == "n" and v.value == -3 for v in values)
    dictionary = {r[1].value: r[4].value for r in wb["data_dictionary"].iter_rows(min_row=2)}
    assert "sections_part2" not in dictionary and "_part2" in dictionary["xlsx"]
    tally("formula injection (xlsx export)", "text cells, no formula", len(names))
    tally("text over the Excel cell limit", "split into continuation columns", 1)


def test_csv_cells_start_with_an_apostrophe_and_parquet_stays_raw(hostile_db, tmp_path):
    db, names = hostile_db
    export(db, tmp_path / "csv", "csv")
    export(db, tmp_path / "pq", "parquet")
    with open(tmp_path / "csv" / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["name"] for r in rows) == sorted("'" + n for n in names)
    with open(tmp_path / "csv" / "cells.csv", encoding="utf-8-sig", newline="") as fh:
        cells = list(csv.DictReader(fh))
    change = [c for c in cells if c["row_key"] == "licensing_change"]
    assert change and {(c["value"], c["raw"]) for c in change} == {("-3", "-3")}  # numbers stay numbers
    for row in cells:
        for value in row.values():
            assert not cell_safety.risky(value), value
    assert sorted(pq.read_table(tmp_path / "pq" / "reports.parquet")["name"].to_pylist()) == sorted(names)
    with open(tmp_path / "csv" / "data_dictionary.csv", encoding="utf-8-sig", newline="") as fh:
        notes = {r["key"]: r["notes"] for r in csv.DictReader(fh) if r["kind"] == "format"}
    assert set(notes) == {"csv", "xlsx", "parquet"} and "apostrophe" in notes["csv"] and "raw" in notes["parquet"]
    tally("formula injection (csv export)", "apostrophe added", len(names))


def test_chart_text_cannot_carry_plotly_markup():
    """Plotly draws <a href>, <b> and <br> in axis, legend and hover text: an agency name holding
    them is written as entities, so the chart shows the name literally."""
    import pandas as pd

    from analytics.dashboard import charts

    hostile = '<a href="http://127.0.0.1:1/x">点我</a><br><b>局</b>'
    df = pd.DataFrame({"name": [hostile, "某局"], "value": [0.5, 0.2]})
    fig = charts.ranking(df, "denial_rate")
    shown = list(fig.data[0].y)
    assert all("<" not in v and ">" not in v for v in shown)
    assert hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in shown
    assert charts.plain("某局") == "某局" and charts.plain(3) == 3
