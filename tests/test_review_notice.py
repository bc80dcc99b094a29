"""Rectification notices written from a real warehouse and read back with python-docx and
openpyxl: one DOCX and one XLSX per agency with findings to act on, every figure equal to the
value the warehouse holds (taken here from the records the test loaded), Chinese intact, text
from the documents inert, and the listed findings optionally marked 已通知."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from analytics import fields as F
from analytics.cli import main
from analytics.rules import SEVERITY_ZH, rules
from analytics.warehouse import connect_read, load_records
from analytics.warehouse.checks import SQL_RULES
from analytics.warehouse.findings import decide, list_findings
from fixtures.records import fresh_warehouse, make_record, with_carry

EDU = "江苏省淮安市教育局"
HOSTILE = '=HYPERLINK("http://evil.example","点")民政局'
NANJING = "南京市民政局"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "spec" / "rules.md"


def records():
    last = with_carry(make_record(EDU, 2022), [3, 0, 0, 0, 0, 0], [6, 0, 0, 0, 0, 0])
    edu = with_carry(make_record(EDU, 2023), [4, 0, 0, 0, 0, 0], [6, 0, 0, 0, 0, 0])  # 4 ≠ last year's 6
    edu["review_litigation"]["review"]["total"] = 0  # T4_GROUP_SUM: parts 3
    edu["active_disclosure"]["licensing_decisions"] = -5  # NEGATIVE
    edu["applications"]["granted"]["total"] += 1  # T3_COLUMN_SUM (dismissed) and T3_OUTCOME_SUM (left open)
    hostile = make_record(HOSTILE, 2023)
    hostile["applications"]["new_received"]["natural_person"] = 81  # T3_FLOW and T3_COLUMN_SUM
    hostile["applications"]["new_received"]["total"] += 1
    nanjing = make_record(NANJING, 2023)
    nanjing["review_litigation"]["litigation_direct"]["total"] = 1
    info = {EDU: {"province": "江苏省", "city": "淮安市"}, HOSTILE: {"province": "江苏省", "city": "淮安市"},
            NANJING: {"province": "江苏省", "city": "南京市"}}
    return [last, edu, hostile, nanjing], info


@pytest.fixture
def db(tmp_path):
    path = fresh_warehouse(tmp_path / "w.duckdb")
    recs, info = records()
    load_records(path, recs, agency_info=info)
    return path


def fp(rule, agency, subject, year=2023):
    return f"{rule}|{agency}|{year}|{subject}"


def expected_figures(recs):
    """What each notified finding is about, from the records: (year, table, item, column, value)."""
    last, edu, hostile, _ = recs
    review = F.label("review_group", "review")
    t3 = lambda key: F.label("applications_row", key)  # noqa: E731
    col = lambda key: F.label("applications_col", key)  # noqa: E731
    return {
        fp("T4_GROUP_SUM", EDU, "review"): [
            (2023, "表四", review, F.label("review_col", c), edu["review_litigation"]["review"][c])
            for c in F.REVIEW_COLS],
        fp("NEGATIVE", EDU, "active_disclosure:licensing_decisions:value"): [
            (2023, "表二", F.label("active", "licensing_decisions"), "", -5)],
        fp("X_CARRYOVER", EDU, "natural_person"): [
            (2023, "表三", t3("carried_over"), col("natural_person"), edu["applications"]["carried_over"]["natural_person"]),
            (2022, "表三", t3("carried_forward"), col("natural_person"),
             last["applications"]["carried_forward"]["natural_person"])],
        fp("X_JUMP", EDU, "ad_licensing_decisions"): [
            (2023, "表二", F.label("active", "licensing_decisions"), "", -5),
            (2022, "表二", F.label("active", "licensing_decisions"), "", last["active_disclosure"]["licensing_decisions"])],
        fp("T3_FLOW", HOSTILE, "natural_person"): [
            (2023, "表三", t3(r), col("natural_person"), hostile["applications"][r]["natural_person"])
            for r in ("new_received", "carried_over", "total_processed", "carried_forward")],
    }


def review(db):
    """Confirm what the office found; leave one open and dismiss one (neither goes in a notice)."""
    for f in (fp("T4_GROUP_SUM", EDU, "review"), fp("NEGATIVE", EDU, "active_disclosure:licensing_decisions:value"),
              fp("X_CARRYOVER", EDU, "natural_person"), fp("X_JUMP", EDU, "ad_licensing_decisions"),
              fp("T3_FLOW", HOSTILE, "natural_person"),
              fp("T4_GROUP_SUM", NANJING, "litigation_direct")):
        decide(db, f, "confirmed", by="王审核")
    decide(db, fp("T3_COLUMN_SUM", EDU, "granted"), "dismissed", by="王审核")
    decide(db, fp("X_CARRYOVER", EDU, "natural_person"), "notified", "电话通知", by="王审核")


def statuses(db):
    return {r[0]: (r[7], r[9]) for r in list_findings(db, limit=1000)}


def test_notices_list_every_figure_with_the_warehouse_value(db, tmp_path, capsys):
    recs, _ = records()
    review(db)
    want = expected_figures(recs)
    out = tmp_path / "notices"
    assert main(["notice", "--db", db, "--region", "淮安市", "--year", "2023", "--out", str(out), "--zip",
                 "--mark-notified", "--by", "李四"]) == 0
    printed = capsys.readouterr().out
    assert "已为 2 个机构生成整改通知（共 5 个问题）" in printed and "已将 4 条发现标记为“已通知”" in printed

    safe = '=HYPERLINK(_http_evil.example_,_点_)民政局'  # quotes, slashes and colons replaced
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{EDU}_2023年度_整改通知.docx", f"{EDU}_2023年度_问题清单.xlsx",
                            f"{safe}_2023年度_整改通知.docx", f"{safe}_2023年度_问题清单.xlsx",
                            "淮安市_2023年度_整改通知.zip"])
    with zipfile.ZipFile(out / "淮安市_2023年度_整改通知.zip") as zf:
        assert sorted(zf.namelist()) == [n for n in names if not n.endswith(".zip")]
        assert zf.read(f"{EDU}_2023年度_整改通知.docx") == (out / f"{EDU}_2023年度_整改通知.docx").read_bytes()

    registry = rules()
    for agency, stem in ((EDU, EDU), (HOSTILE, safe)):
        mine = {k: v for k, v in want.items() if f"|{agency}|" in k}
        wb = openpyxl.load_workbook(out / f"{stem}_2023年度_问题清单.xlsx")
        sheet = wb["问题清单"]
        title = sheet["A1"]
        assert title.value == f"{agency}2023年度政府信息公开工作年度报告问题清单"
        assert title.data_type == "s" and title.quotePrefix == (agency == HOSTILE)
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert rows[0] == ("序号", "规则代码", "规则名称", "级别", "问题说明", "涉及数据", "规则要求", "答复", "整改情况", "发现指纹")
        items = {r[9]: r for r in rows[1:]}
        assert set(items) == set(mine)
        for f, row in items.items():
            rule = f.split("|")[0]
            assert row[1:4] == (rule, registry[rule].name, SEVERITY_ZH[registry[rule].severity])
            assert row[6] == registry[rule].description and row[7] is None and row[8] is None
            for year, table, item, column, value in mine[f]:
                assert f"{table}“{item}”" + (f"（{column}）" if column else "") + f"：{value}" in row[5]
        figures = list(wb["涉及数据"].iter_rows(min_row=2, values_only=True))
        by_item = {}
        for n, rule, year, table, item, column, value, raw, _src in figures:
            by_item.setdefault(n, []).append((year, table, item, column or "", value))
            assert raw == str(int(value))  # the document's text of the same number
        for row in rows[1:]:
            assert by_item[row[0]] == mine[row[9]], row[9]

        document = docx.Document(out / f"{stem}_2023年度_整改通知.docx")
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == f"关于{agency}2023年度政府信息公开工作年度报告问题的整改通知"
        assert paragraphs[1] == f"{agency}："
        assert f"存在以下 {len(mine)} 个问题" in paragraphs[2]
        [table] = document.tables
        cells = [[c.text for c in r.cells] for r in table.rows]
        assert cells[0] == ["序号", "规则代码", "规则名称", "级别", "问题说明", "涉及数据", "规则要求", "答复", "整改情况"]
        assert len(cells) == 1 + len(mine)
        for cells_row, xlsx_row in zip(cells[1:], rows[1:]):
            assert cells_row[:7] == [str(xlsx_row[0]), *xlsx_row[1:7]]
            assert cells_row[7:] == ["", ""]
        # plain text only: no fields, hyperlinks or formulas in the document body
        body = document.element.body.xml
        assert "w:fldSimple" not in body and "w:hyperlink" not in body and "w:instrText" not in body

    # marked: the four confirmed ones by 李四; the one already notified keeps its step; others untouched
    now = statuses(db)
    for f in want:
        assert now[f][0] == "notified"
    assert {now[f][1] for f in want if "X_CARRYOVER" not in f} == {"李四"}
    assert now[fp("X_CARRYOVER", EDU, "natural_person")][1] == "王审核"
    assert now[fp("T4_GROUP_SUM", NANJING, "litigation_direct")][0] == "confirmed", "outside the region"
    assert now[fp("T3_OUTCOME_SUM", EDU, "total")][0] == "open"
    assert now[fp("T3_COLUMN_SUM", EDU, "granted")][0] == "dismissed"
    con = connect_read(db)
    try:
        notes = con.execute("SELECT note FROM finding_decision_log WHERE actor = '李四'").fetchall()
    finally:
        con.close()
    assert len(notes) == 4 and all(f"{EDU}_2023年度_整改通知.docx" in n[0] or safe in n[0] for n in notes)


def test_one_format_and_no_marking(db, tmp_path):
    review(db)
    before = statuses(db)
    out = tmp_path / "n"
    assert main(["notice", "--db", db, "--year", "2023", "--out", str(out), "--format", "xlsx"]) == 0
    assert all(p.suffix == ".xlsx" for p in out.iterdir()) and len(list(out.iterdir())) == 3  # Nanjing too
    assert statuses(db) == before


def test_no_findings_to_notify_is_one_line(db, tmp_path, capsys):
    assert main(["notice", "--db", db, "--year", "2023", "--out", str(tmp_path / "n")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "analytics notice: 所选范围2023年度没有已确认待通知的发现，未生成整改通知"


def test_the_rules_registry_names_every_rule_of_the_spec():
    text = DOCS.read_text(encoding="utf-8")
    spec = dict(re.findall(r"^\| ([A-Z0-9_]+) \| (error|warning) \|", text, re.M))
    prose = {"YEAR_IN_TEXT", "TEXT_VS_TABLE", "SECTION_MISSING", "FEE_WITHOUT_NOTE"}
    registry = rules()
    assert set(registry) == set(spec) == {r.upper() for r in SQL_RULES} | prose
    for code, rule in registry.items():
        assert rule.severity == spec[code]
        assert rule.scope == SQL_RULES.get(code.lower(), "report")
        assert re.search(r"[\u4e00-\u9fff]", rule.name) and rule.description.endswith("。")
