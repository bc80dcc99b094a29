"""The metric registry is the one definition of every metric: the view, the summary tables, the
dashboard's texts, the export dictionary and docs/metrics.md all follow from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import metrics as registry
from analytics.metrics import METRICS, RegistryError, parse_registry, reference_markdown
from analytics.warehouse import connect_read, write_session
from analytics.warehouse.schema import ensure_schema

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "analytics"


def test_docs_page_is_generated_from_the_registry():
    assert (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8") == reference_markdown(), (
        "docs/metrics.md is stale: python -m analytics.metrics > docs/metrics.md")


def test_every_metric_of_the_spec_is_registered_under_its_name():
    spec = (ROOT / "docs" / "spec" / "metrics.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:3] for line in spec.splitlines() if line.startswith("| ") and "---" not in line]
    named = {k.strip(): zh.strip() for keys, zh in rows[1:] for k in keys.split(",")}
    assert len(named) >= 22
    for key, zh in named.items():
        assert key in METRICS, key
        if "/" not in zh:  # the four counts share one row of the spec
            assert METRICS[key].label.startswith(zh), (key, METRICS[key].label, zh)


def test_kind_unit_and_polarity_agree():
    for k, m in METRICS.items():
        assert m.is_ratio == (m.kind == "rate"), k
        if m.unit == "%":
            assert m.kind == "rate", k
    assert METRICS["fees_amount"].kind == "amount"
    assert METRICS["denial_rate"].direction == -1 and METRICS["review_correction_rate"].direction == -1
    assert METRICS["substantive_disclosure_rate"].direction == 1
    assert METRICS["applications"].direction == 0


@pytest.mark.parametrize("bad, why", [
    ('key = "Bad-Key"', "identifier"),
    ('kind = "ratio"', "kind"),
    ('polarity = "up"', "polarity"),
    ('colour = "red"', "unknown fields"),
])
def test_malformed_entries_are_refused(bad, why):
    good = {"key": '"x"', "label": '"甲"', "kind": '"rate"', "unit": '"%"', "polarity": '"neutral"',
            "num": '"1"', "den": '"1"', "numerator": '"a"', "denominator": '"b"', "formula": '"c"',
            "base": '"d"'}
    name = bad.split(" = ")[0]
    good[name] = bad.split(" = ")[1]
    text = "[[metric]]\n" + "\n".join(f"{k} = {v}" for k, v in good.items())
    with pytest.raises(RegistryError, match=why):
        parse_registry(text)


def test_warehouse_holds_the_registry(tmp_path):
    path = tmp_path / "w.duckdb"
    with write_session(path) as con:
        ensure_schema(con)
    con = connect_read(str(path))
    try:
        view = {r[0] for r in con.execute("DESCRIBE report_metrics").fetchall()}
        total = {r[0] for r in con.execute("DESCRIBE agency_total").fetchall()}
        defs = con.execute("SELECT key, label, kind, polarity FROM metric_defs ORDER BY position").fetchall()
    finally:
        con.close()
    for k in METRICS:
        assert {f"{k}_num", f"{k}_den", k} <= view, k
        assert {f"{k}_num", f"{k}_den"} <= total, k
    assert defs == [(k, m.label, m.kind, m.polarity) for k, m in METRICS.items()]


NEW_ENTRY = '''
[[metric]]
key = "granted_per_100"
label = "每百件申请予以公开数"
kind = "rate"
unit = "件/百件申请"
polarity = "higher_better"
num = "100 * coalesce(a_granted, 0)"
den = "coalesce(a_new_received, 0)"
numerator = "100 × granted"
denominator = "new_received.total"
formula = "100 × 予以公开 ÷ 新收申请数"
base = "本年新收申请数"
'''

PROBE = r'''
import json, sys
from analytics.cli import main
from analytics.warehouse import connect_read
from analytics.warehouse.export import dictionary
from analytics.dashboard import queries
from analytics.dashboard.metrics import METRICS, fmt, help_text
from analytics.metrics import reference_markdown
from analytics.dashboard.filters import example

doc, db = sys.argv[1], sys.argv[2]
assert main(["ingest", doc, "--db", db, "--quiet"]) == 0
con = connect_read(db)
view = con.execute("SELECT granted_per_100_num, granted_per_100_den, granted_per_100 FROM report_metrics").fetchall()
total = con.execute("SELECT granted_per_100_num, granted_per_100_den FROM agency_total").fetchall()
label = con.execute("SELECT label FROM metric_defs WHERE key = 'granted_per_100'").fetchall()
table = queries.agency_metrics(con, metrics=["granted_per_100"], **example())
print(json.dumps({
    "view": view, "total": total, "defs": label,
    "page_value": float(table["granted_per_100"].iloc[0]),
    "label": METRICS["granted_per_100"].label, "shown": fmt("granted_per_100", view[0][2]),
    "help": help_text("granted_per_100"),
    "dictionary": [r for r in dictionary().to_pylist() if r["key"] == "granted_per_100"],
    "docs": "granted_per_100" in reference_markdown(),
}, ensure_ascii=False, default=str))
'''


@pytest.mark.slow
def test_a_new_entry_reaches_view_dashboard_and_dictionary_with_no_other_edit(tmp_path, report_text):
    copy = tmp_path / "src" / "analytics"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    toml = copy / "spec" / "metrics.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + NEW_ENTRY, encoding="utf-8")
    doc = tmp_path / "测试县人民政府2021年政府信息公开工作年度报告.txt"
    doc.write_text(report_text().text(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    out = subprocess.run([sys.executable, "-c", PROBE, str(doc), str(tmp_path / "w.duckdb")], env=env,
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    # The built report has 21 granted of 83 new applications (tests/conftest.py T3).
    assert got["view"] == [[2100, 83, pytest.approx(2100 / 83)]]
    assert got["total"] == [[2100, 83]]
    assert got["page_value"] == pytest.approx(2100 / 83)
    assert got["defs"] == [["每百件申请予以公开数"]]
    assert got["label"] == "每百件申请予以公开数" and got["shown"] == "25.30"
    assert "100 × 予以公开 ÷ 新收申请数" in got["help"] and "本年新收申请数" in got["help"]
    assert got["dictionary"][0]["label"] == "每百件申请予以公开数" and "100 × granted" in got["dictionary"][0]["notes"]
    assert got["docs"] is True
    # The original package is untouched.
    assert "granted_per_100" not in registry.METRICS


def test_flags_are_read_from_the_bad_end_of_the_polarity():
    worse, better = METRICS["denial_rate"], METRICS["substantive_disclosure_rate"]
    assert (worse.flag(worse.flag_yellow - 0.01), worse.flag(worse.flag_yellow), worse.flag(worse.flag_red)) == (
        "", "yellow", "red")
    assert (better.flag(better.flag_yellow + 0.01), better.flag(better.flag_yellow), better.flag(better.flag_red)) == (
        "", "yellow", "red")
    assert worse.flag(None) == "" and worse.flag(float("nan")) == ""


def test_a_flag_on_a_neutral_metric_or_in_the_wrong_order_is_refused():
    base = registry.registry_text().split("\n[[metric]]\n")
    entry = "[[metric]]\n" + base[1]  # the first metric, a neutral count
    with pytest.raises(RegistryError, match="need a polarity"):
        parse_registry(entry + "flag_red = 5\n")
    rate = "[[metric]]\n" + next(b for b in base[1:] if 'key = "denial_rate"' in b)
    rate = rate.replace("flag_yellow = 0.1\n", "flag_yellow = 0.3\n")
    with pytest.raises(RegistryError, match="beyond flag_yellow"):
        parse_registry(rate)
