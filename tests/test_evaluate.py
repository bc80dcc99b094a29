"""The evaluation report (analytics evaluate): built from a warehouse made in code, every figure
recomputed from its query against a fresh connection and, for the headline, coverage, quality
and findings figures, by independent queries of the base tables; the DOCX and PDF reopened
(python-docx, pdftotext, pdffonts) and every figure they print read back and compared."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analytics.cli import main
from analytics.evaluate import evaluate, write
from analytics.evaluate import sources
from analytics.evaluate.model import Chart, Figure, Para, Section, Table, parse_value, tolerance
from analytics.warehouse import connect_read, load_records
from fixtures.records import PARTS, PROSE, fresh_warehouse, make_record

REGION = {"province": "评估省", "city": "评估市"}
# name, level, kind, county, factor (table 3 scaled), years
AGENCIES = [
    ("评估市人民政府", "city", "government", None, 3, (2022, 2023)),
    ("评估市教育局", "city", "department", None, 1, (2022, 2023)),
    ("评估市公安局", "city", "department", None, 2, (2022, 2023)),
    ("评估市卫生健康委员会", "city", "department", None, 1, (2022, 2023)),
    ("评估市交通运输局", "city", "department", None, 1, (2022,)),  # did not publish 2023
    ("评估市甲区人民政府", "county", "government", "甲区", 2, (2022, 2023)),
    ("评估市乙县人民政府", "county", "government", "乙县", 1, (2023,)),
    ("评估市甲区自然资源局", "county", "department", "甲区", 1, (2023,)),
]
OUTLIER = "评估市公安局"  # denies most applications in 2023


def _scaled(record: dict, factor: int) -> dict:
    for row, cols in record["applications"].items():
        for col in cols:
            cols[col] = cols[col] * factor
    return record


def _records():
    out, info = [], {}
    for i, (name, level, kind, county, factor, years) in enumerate(AGENCIES):
        info[name] = {**REGION, "level": level, "kind": kind, **({"county": county} if county else {})}
        for year in years:
            rec = _scaled(make_record(name, year, published=f"{year + 1}-0{1 + i % 4}-2{i % 9}",
                                      sections={"overview": PROSE * 3 + name, "problems": "公开内容不够全面。",
                                                "other_matters": "无。"}), factor)
            if name == OUTLIER and year == 2023:
                apps = rec["applications"]
                moved = apps["granted"]["natural_person"] - 1
                apps["granted"]["natural_person"] -= moved
                apps["denied_process_info"]["natural_person"] += moved
                for row in ("granted", "denied_process_info"):
                    apps[row]["total"] = sum(apps[row][c] for c in PARTS)
            if name == "评估市教育局" and year == 2023:
                rec["review_litigation"]["review"]["total"] += 1  # an error finding
                rec["active_disclosure"]["fees_amount"] = None  # a blank required cell
            out.append(rec)
    return out, info


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("evaluate") / "w.duckdb")
    records, info = _records()
    load_records(path, records, dataset="real", agency_info=info)
    return path


@pytest.fixture(scope="module")
def ev(db):
    return evaluate(db, "评估市", 2023)


@pytest.fixture(scope="module")
def files(ev, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    return write(ev, folder / "评估.docx"), write(ev, folder / "评估.pdf")


def _walk(blocks):
    for block in blocks:
        if isinstance(block, Section):
            yield from _walk(block.blocks)
        else:
            yield block


def _blocks(ev, kind):
    return [b for s in ev.sections for b in _walk(s.blocks) if isinstance(b, kind)]


def _close(fig: Figure, value) -> bool:
    if fig.value is None or value is None:
        return fig.value is None and value is None
    return abs(fig.value - value) <= 1e-9 * max(1.0, abs(value))


def test_every_figure_equals_a_fresh_run_of_its_query(db, ev):
    assert len(ev.figures) > 100
    con = connect_read(db)
    try:
        wrong = [(k, f.value, v) for k, f in ev.figures.items()
                 if not _close(f, v := sources.value(con, f.source))]
    finally:
        con.close()
    assert not wrong, wrong[:5]


def _scalar(db, sql, params=()):
    con = connect_read(db)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_headline_coverage_quality_and_findings_equal_independent_queries(db, ev):
    region = "province = '评估省' AND city = '评估市'"
    for year in (2022, 2023):
        for key in ("substantive_disclosure_rate", "denial_rate", "review_correction_rate", "on_time"):
            expected = _scalar(db, f"SELECT sum({key}_num) / nullif(sum({key}_den), 0) FROM report_metrics "
                                   f"WHERE year = ? AND {region}", [year])
            assert ev.figures[f"head.{key}.{year}"].value == pytest.approx(expected), (key, year)
        expected = _scalar(db, f"SELECT sum(applications_num) FROM report_metrics WHERE year = ? AND {region}", [year])
        assert ev.figures[f"head.applications.{year}"].value == expected
    assert ev.figures["cov.known"].value == 8
    assert ev.figures["cov.published"].value == _scalar(
        db, f"SELECT count(*) FROM report_wide WHERE is_current AND year = 2023 AND {region}") == 7
    assert ev.figures["cov.missing"].value == 1
    missing = _blocks(ev, Table)[1]
    assert [r[0] for r in missing.rows] == ["评估市交通运输局"]
    con = connect_read(db)
    try:
        scores = dict(con.execute("SELECT report_id, score FROM report_quality WHERE year = 2023").fetchall())
        errors = con.execute("SELECT a.name, count(*) FROM findings f JOIN agencies a USING (agency_id) "
                             "WHERE f.year = 2023 AND f.severity = 'error' GROUP BY a.name").fetchall()
    finally:
        con.close()
    shown = {int(k.split(".")[1]): f.value for k, f in ev.figures.items()
             if k.startswith("quality.") and k.endswith(".score")}
    assert shown == pytest.approx(scores)
    findings_table = next(t for t in _blocks(ev, Table) if t.title.startswith("表 7"))
    assert {r[0]: int(r[1].value) for r in findings_table.rows if r[1].value} == dict(errors)


def test_the_outlier_and_the_minimum_denominator(ev):
    out = next(t for t in _blocks(ev, Table) if t.title.startswith("表 3-1b"))
    assert [r[0] for r in out.rows] == [OUTLIER] and "偏高" in out.rows[0][-1]
    ranking = next(t for t in _blocks(ev, Table) if t.title.startswith("表 3-1a"))
    assert ranking.rows[0][0] == OUTLIER  # the worst denial rate first
    for row in ranking.rows:
        assert row[3].value >= 30  # the minimum denominator
        assert row[4].value <= row[1].value <= row[5].value  # inside its Wilson interval


def _docx_text(path):
    from docx import Document

    doc = Document(str(path))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def test_docx_opens_is_chinese_and_prints_every_figure(ev, files):
    doc, text = _docx_text(files[0])
    assert ev.title in text
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert cjk > 0.5 * len(re.sub(r"\s|[0-9.,%\[\]—()（）：:；、-]", "", text))
    tables = _blocks(ev, Table)
    assert len(doc.tables) == len(tables)
    checked = 0
    for model, shown in zip(tables, doc.tables):
        assert [c.text for c in shown.rows[0].cells] == model.header
        for row, drawn in zip(model.rows, shown.rows[1:]):
            for cell, text_ in zip(row, [c.text for c in drawn.cells]):
                if isinstance(cell, Figure):
                    back = parse_value(text_, cell.fmt)
                    assert (back is None) == (cell.value is None), (cell.key, text_)
                    if back is not None:
                        assert abs(back - cell.value) <= tolerance(cell.fmt), (cell.key, text_, cell.value)
                    checked += 1
                else:
                    assert text_ == cell
        assert len(shown.rows) == len(model.rows) + 1
    for para in _blocks(ev, Para):
        for part in para.parts:
            if isinstance(part, Figure):
                assert f"{part.text()}[{part.note}]" in text, part.key
                checked += 1
    assert checked == len(ev.figures)  # every figure is printed once and was read back
    for n, note in ev.note_texts():
        assert f"[{n}] {note}" in text
    assert "地区：评估省 / 评估市" in text and "年度：2023" in text
    assert len(doc.inline_shapes) == len(_blocks(ev, Chart)) >= 3


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_is_searchable_chinese_with_embedded_fonts(ev, files):
    pdf = files[1]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    flat = _squeeze(text)
    assert _squeeze(ev.title) in flat
    for section in ev.sections:
        assert _squeeze(section.title) in flat
    for para in _blocks(ev, Para):
        assert _squeeze(para.text()) in re.sub(r"\[\d+\]", "", flat) or _squeeze(para.text())[:40] in flat
    for fig in ev.figures.values():
        assert _squeeze(fig.text()) in flat, fig.key
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column
    assert any("CJK" in line for line in fonts)


def test_cli_writes_and_refuses_in_chinese(db, tmp_path, capsys):
    out = tmp_path / "评估.docx"
    assert main(["evaluate", "--db", str(db), "--region", "评估省/评估市", "--year", "2023", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000 and "已生成" in capsys.readouterr().out
    cases = [(["--region", "火星市", "--year", "2023", "--out", str(out)], "未知的地区“火星市”"),
             (["--region", "评估市", "--year", "2015", "--out", str(out)], "评估市没有 2015 年度的报告"),
             (["--region", "评估市", "--year", "2023", "--out", str(tmp_path / "评估.txt")], "不支持的输出格式"),
             (["--region", "评估市", "--year", "2023", "--out", str(tmp_path / "无此目录" / "a.docx")], "输出文件夹不存在")]
    for args, said in cases:
        assert main(["evaluate", "--db", str(db), *args]) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err


def test_counties_are_evaluated_alone(db):
    ev = evaluate(db, "甲区", 2023)
    names = {r[1] for r in next(t for t in _blocks(ev, Table) if t.title.startswith("表 5")).rows}
    assert names == {"评估市甲区人民政府", "评估市甲区自然资源局"}


def test_quality_page_makes_the_evaluation_for_download(db):
    from fixtures.app_test import app_warehouse, open_page

    with app_warehouse(db):
        at = open_page("quality")
        assert "评估省/评估市" in at.selectbox(key="q_ev_region").options
        at.selectbox(key="q_ev_region").set_value("评估省/评估市")
        at.selectbox(key="q_ev_year").set_value(2023)
        at.checkbox(key="q_ev_pdf").uncheck()
        at.button(key="q_ev_make").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [b.label for b in at.get("download_button")]
    assert "下载 Word（.docx）" in labels and "下载 PDF" not in labels
    assert any("评估市2023年度政府信息公开工作年度报告评估" in c.value for c in at.caption)
