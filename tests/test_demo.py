"""The demo corpus generator: deterministic output, realistic figures, table rules, manifest."""

from __future__ import annotations

import csv
import re
import hashlib
import io
import json
import statistics
from collections import defaultdict
from pathlib import Path

import docx
import pytest

from analytics import cli
from analytics.demo import build_reports, write_corpus
from analytics.fields import APPLICATION_COLS, DENIED_ROWS, OTHER_ROWS_2021, REFUSED_ROWS, UNABLE_ROWS
from analytics.parsing.detect import decode_text, sniff
from fixtures.demo_corpus import demo_corpus, read_truth

SMALL = {"seed": 7, "scale": 0.1, "years": [2019, 2020, 2021, 2024]}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return demo_corpus(tmp_path_factory, **SMALL)


@pytest.fixture(scope="module")
def full():
    """The full population's reports (not rendered) and their truth records."""
    from analytics.demo.report import truth_record

    agencies, reports, planted = build_reports(seed=2025, scale=1.0)
    return agencies, reports, planted, [truth_record(r) for r in reports]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(small, tmp_path):
    again = tmp_path / "again"
    write_corpus(again, **SMALL)
    assert _digest(again) == _digest(small)


def test_another_seed_gives_other_figures(small, tmp_path):
    other = tmp_path / "other"
    write_corpus(other, **{**SMALL, "seed": 8})
    a = {(t["agency"], t["year"]): t["applications"]["new_received"]["total"] for t in read_truth(small)}
    b = {(t["agency"], t["year"]): t["applications"]["new_received"]["total"] for t in read_truth(other)}
    assert a != b


def test_manifest_lists_every_document_with_its_place(small):
    rows = list(csv.DictReader((small / "manifest.csv").read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["path", "agency", "year", "province", "city", "county", "level", "kind", "parent",
                             "published"]
    names = {r["agency"] for r in rows}
    truth = read_truth(small)
    assert len(rows) == len(truth)
    for r in rows:
        assert (small / r["path"]).is_file()
        assert r["level"] in {"city", "county", "township"}
        assert r["kind"] in {"government", "office", "department", "zone", "township"}
        assert r["parent"] == "" or r["parent"] in names, r
        assert r["province"] == "江澜省" and r["city"] == "临澜市"
        assert (r["county"] == "") == (r["level"] == "city")
        assert r["published"] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"]), r
    files = {str(p.relative_to(small)) for p in small.rglob("*") if p.parent != small}
    assert files == {r["path"] for r in rows}


def test_every_format_and_template_variant_is_present(small):
    truth = read_truth(small)
    assert {t["source"]["format"] for t in truth} == {"html", "text", "docx", "pdf"}
    assert {t["template"] for t in truth} == {"2019", "2021"}
    kept_single = [t for t in truth if t["template"] == "2021" and "other_total" in t["applications"]]
    assert kept_single, "a later report keeping the single （六）其他处理 row"
    encodings = set()
    for t in truth:
        data = (small / t["source"]["path"]).read_bytes()
        fmt = sniff(data, t["source"]["path"])
        assert fmt == {"text": "text"}.get(t["source"]["format"], t["source"]["format"])
        if fmt == "text":
            encodings.add(decode_text(data)[1])
    assert "gb18030" in encodings


def test_document_habits_vary_like_real_ones(full):
    agencies, reports, planted, records = full
    styles = [r.style for r in reports]
    html = [s for s in styles if s.format == "html"]
    assert any(s.cms_page for s in html) and not all(s.cms_page for s in html)
    assert any(s.page_breaks for s in styles if s.format == "text")
    assert any(s.blank_zeros for s in styles) and any(s.slash_regulations for s in styles)
    assert {s.normative_label for s in styles} == {"行政规范性文件", "规范性文件"}
    assert len({s.heading_variant for s in styles}) >= 4
    share = {f: sum(1 for s in styles if s.format == f) / len(styles) for f in ("html", "text", "docx", "pdf")}
    assert 0.05 <= share["pdf"] <= 0.15, share


def test_docx_has_merged_cells_python_docx_can_read(small):
    path = next(small.rglob("*.docx"))
    d = docx.Document(io.BytesIO(path.read_bytes()))
    assert len(d.tables) == 3
    t3 = d.tables[1]
    first = t3.rows[0].cells
    assert first[0].text == first[2].text  # the 3×3 header block is one merged cell
    assert "三、本年度办理结果" in t3.rows[5].cells[0].text
    assert t3.rows[5].cells[0]._tc is t3.rows[6].cells[0]._tc  # vertical merge


def _sum(cols: dict, keys) -> int:
    return sum(cols[k] or 0 for k in keys)


def _table_rule_failures(record: dict) -> set[str]:
    """T3_FLOW, T3_OUTCOME_SUM, T3_COLUMN_SUM, T4_GROUP_SUM as rules.md states them (blank = 0)."""
    apps, failures = record["applications"], set()
    others = [r for r in OTHER_ROWS_2021 + ["other_total"] if r in apps]
    outcome_rows = ["granted", "partially_granted", *DENIED_ROWS, *UNABLE_ROWS, *REFUSED_ROWS, *others]
    for col in APPLICATION_COLS:
        v = {row: apps[row][col] or 0 for row in apps}
        if v["new_received"] + v["carried_over"] != v["total_processed"] + v["carried_forward"]:
            failures.add("T3_FLOW")
        if v["total_processed"] != sum(v[r] for r in outcome_rows):
            failures.add("T3_OUTCOME_SUM")
    for row, cols in apps.items():
        if (cols["total"] or 0) != _sum(cols, APPLICATION_COLS[:6]):
            failures.add("T3_COLUMN_SUM")
    for cols in record["review_litigation"].values():
        if (cols["total"] or 0) != _sum(cols, ["upheld", "corrected", "other", "pending"]):
            failures.add("T4_GROUP_SUM")
    return failures


def test_table_rules_hold_except_where_planted(full):
    agencies, reports, planted, records = full
    planted_at = defaultdict(set)
    for p in planted:
        planted_at[(p["agency"], p["year"])].add(p["rule"])
    table_rules = {"T3_FLOW", "T3_OUTCOME_SUM", "T3_COLUMN_SUM", "T4_GROUP_SUM"}
    for rec in records:
        found = _table_rule_failures(rec)
        mine = planted_at[(rec["agency"], rec["year"])] & table_rules
        if mine:
            assert mine <= found, (rec["agency"], rec["year"], mine, found)
        else:
            assert not found, (rec["agency"], rec["year"], found)


def test_carry_over_continues_and_stocks_follow_flows(full):
    agencies, reports, planted, records = full
    planted_carry = {(p["agency"], p["year"]) for p in planted if p["rule"] in ("X_CARRYOVER", "T3_FLOW")}
    by = {(r["agency"], r["year"]): r for r in records}
    checked = gaps = 0
    for (agency, year), rec in by.items():
        prev = by.get((agency, year - 1))
        if prev is None or (agency, year) in planted_carry or (agency, year - 1) in planted_carry:
            continue
        assert {c: v or 0 for c, v in rec["applications"]["carried_over"].items()} == \
            {c: v or 0 for c, v in prev["applications"]["carried_forward"].items()}, (agency, year)
        checked += 1
        if year >= 2022:
            a, b = rec["active_disclosure"], prev["active_disclosure"]
            expected = (b["normative_in_force"] or 0) + (a["normative_issued"] or 0) - (a["normative_repealed"] or 0)
            gap = abs((a["normative_in_force"] or 0) - expected)
            gaps += gap > 0
            assert gap <= 15, (agency, year, gap)  # jurisdictions sum the small gaps of their parts
    assert checked > 1000
    assert 0 < gaps < checked / 2  # small gaps exist, as revisions and lapses make them


def test_volumes_and_shares_are_realistic(full):
    agencies, reports, planted, records = full
    recs = records
    kinds = {a.name: a for a in agencies}
    new = defaultdict(list)
    for r in recs:
        new[kinds[r["agency"]].role].append(r["applications"]["new_received"]["total"] or 0)
    townships = new["township"]
    assert statistics.median(townships) <= 3 and max(townships) <= 25
    assert sum(1 for n in townships if n == 0) / len(townships) > 0.25
    assert 5 <= statistics.median(new["county_dept"]) <= 60
    assert 100 <= statistics.median(new["county_gov"]) <= 999
    assert 1000 <= statistics.median(new["city_gov"]) <= 9999
    # Outcome shares and review rates over the whole population.
    tot = defaultdict(int)
    for r in recs:
        apps = r["applications"]
        for row, cols in apps.items():
            tot[row] += cols["total"] or 0
        for g, cols in r["review_litigation"].items():
            for c, v in cols.items():
                tot[f"{g}.{c}"] += v or 0
    processed = tot["total_processed"]
    assert 0.30 <= tot["granted"] / processed <= 0.50
    assert 0.05 <= tot["partially_granted"] / processed <= 0.10
    assert 0.03 <= sum(tot[r] for r in DENIED_ROWS) / processed <= 0.08
    assert 0.20 <= sum(tot[r] for r in UNABLE_ROWS) / processed <= 0.35
    assert 0.02 <= tot["review.total"] / tot["new_received"] <= 0.05
    decided = tot["review.total"] - tot["review.pending"]
    assert 0.10 <= tot["review.corrected"] / decided <= 0.20
    assert tot["litigation_direct.total"] < tot["review.total"]


def test_townships_report_no_regulations_unless_planted(full):
    agencies, reports, planted, records = full
    planted_at = {(p["agency"], p["year"]) for p in planted if p["rule"] == "IMPLAUSIBLE_LEVEL"}
    assert planted_at
    for rec in records:
        if rec["scope"] != "agency" or (rec["agency"], rec["year"]) in planted_at:
            continue
        regs = [v for k, v in rec["active_disclosure"].items() if k.startswith("regulations_")]
        assert not any(regs), rec["agency"]


def test_planted_errors_and_missing_years_are_listed(full):
    agencies, reports, planted, records = full
    rules = {p["rule"] for p in planted}
    assert rules == {"T4_GROUP_SUM", "T3_COLUMN_SUM", "T3_FLOW", "X_CARRYOVER", "TEXT_VS_TABLE", "YEAR_IN_TEXT",
                     "IMPLAUSIBLE_LEVEL", "X_MISSING_YEAR", "DUPLICATE_TEXT"}
    present = {(r.agency.name, r.year) for r in reports}
    for p in planted:
        assert p["detail"]
        if p["rule"] == "X_MISSING_YEAR":
            assert (p["agency"], p["year"]) not in present
            assert (p["agency"], p["year"] - 1) in present and (p["agency"], p["year"] + 1) in present
        else:
            assert (p["agency"], p["year"]) in present
    assert 220 <= len(agencies) <= 280


def test_prose_states_the_table_figures(small):
    planted = {(p["agency"], p["year"]): p["rule"] for p in json.loads((small / "planted.json").read_text("utf-8"))}
    for t in read_truth(small):
        n = t["applications"]["new_received"]["total"]
        text = t["sections"]["overview"]
        if planted.get((t["agency"], t["year"])) == "TEXT_VS_TABLE":
            assert f"申请{n}件" not in text
        elif "收到" in text:
            assert f"申请{n}件" in text, text


def test_demo_command_writes_the_corpus(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path / "d"), "--scale", "0.1", "--years", "2024"]) == 0
    assert "份报告" in capsys.readouterr().out
    assert (tmp_path / "d" / "manifest.csv").exists() and (tmp_path / "d" / "planted.json").exists()


def test_demo_command_refuses_bad_years(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path / "d"), "--years", "2010-2012"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "analytics demo: --years：'2010-2012' 超出 2019-2025 的范围"


def test_demo_command_never_replaces_a_foreign_folder(tmp_path, capsys):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    assert cli.main(["demo", "--out", str(tmp_path), "--scale", "0.1", "--years", "2024"]) == 2
    assert f"{tmp_path} 已存在且不是演示语料文件夹" in capsys.readouterr().err
    assert keep.read_text(encoding="utf-8") == "mine"
