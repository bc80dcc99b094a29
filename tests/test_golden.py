"""The real corpus of data/real against its hand-made gold records in tests/gold, plus snapshots of
complete records.

Every gold cell must come out exactly (null stays null, an absent gold cell is not compared),
except the cells listed in ``UNDETERMINED``: a flattened text that glues a row's figures with no
row sum to tell the split leaves them absent, named in a warning, rather than guessed. The list is
exact: a cell newly absent fails, and so does a listed cell that is read again.
Snapshots in tests/golden/ hold whole records of the text and Markdown corpus files; they are
rewritten only with ANALYTICS_REGENERATE_GOLDEN=1, and a test fails while that flag is on so it
cannot be left set by accident.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analytics.errors import OldFormatReport
from analytics.parsing import parse_file
from fixtures.corpus import REAL, UNDETERMINED, document_of, documents, gold_files

SNAPSHOTS = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("ANALYTICS_REGENERATE_GOLDEN") == "1"


def _cases():
    return [pytest.param(document_of(gold), gold, id=document_of(gold).name) for gold in gold_files()]


def _mismatches(record: dict, gold: dict, undetermined: set[str] = frozenset()) -> list[str]:
    bad = []
    said = " ".join(w["message"] for w in record["warnings"] if w["code"] in ("cell_missing", "glued_ambiguous"))
    for key in ("agency", "year", "template"):
        if record.get(key) != gold.get(key):
            bad.append(f"{key}: expected {gold.get(key)!r}, got {record.get(key)!r}")
    for key, value in gold.get("active_disclosure", {}).items():
        got = record["active_disclosure"].get(key, "ABSENT")
        if key in undetermined:
            if got != "ABSENT" or key not in said:
                bad.append(f"active_disclosure.{key}: expected absent and named in a warning, got {got!r}")
            continue
        if got != value or type(got) is bool:
            bad.append(f"active_disclosure.{key}: expected {value!r}, got {got!r}")
    for table in ("applications", "review_litigation"):
        for row, cols in gold.get(table, {}).items():
            for col, value in cols.items():
                got = record[table].get(row, {}).get(col, "ABSENT")
                if got != value or (value is None) != (got is None):
                    bad.append(f"{table}.{row}.{col}: expected {value!r}, got {got!r}")
    return bad


@pytest.mark.parametrize("doc, gold_path", _cases())
def test_gold_cells(doc: Path, gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    record = parse_file(doc)
    bad = _mismatches(record, gold, UNDETERMINED.get(doc.name, set()))
    compared = sum(len(c) for t in ("applications", "review_litigation") for c in gold.get(t, {}).values())
    compared += len(gold.get("active_disclosure", {}))
    assert UNDETERMINED.get(doc.name, set()) <= set(gold.get("active_disclosure", {}))
    assert compared > 100
    assert not bad, f"{doc.name}: {len(bad)} of {compared} gold cells differ:\n  " + "\n  ".join(bad)
    # every cell in the tables is also listed in ``cells`` with its raw text
    listed = {(c["table"], c["row"], c["col"]) for c in record["cells"]}
    for row, cols in record["applications"].items():
        for col in cols:
            assert ("applications", row, col) in listed


def test_pre_2019_report_is_refused():
    with pytest.raises(OldFormatReport) as err:
        parse_file(REAL / "平潭综合实验区管委会_2018_旧格式.txt")
    assert err.value.message == "2019 年以前的旧格式年报（2018）：没有 2019/2021 年模板的任何标准表格"


def _snapshot_cases():
    return [pytest.param(p, id=p.name) for p in documents(".txt", ".md") if "旧格式" not in p.name]


def _comparable(record: dict) -> dict:
    out = json.loads(json.dumps(record, ensure_ascii=False))
    out["source"].pop("path", None)
    return out


@pytest.mark.parametrize("doc", _snapshot_cases())
def test_snapshot(doc: Path):
    snap = SNAPSHOTS / (doc.stem + ".json")
    record = _comparable(parse_file(doc))
    if REGENERATE:
        snap.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert snap.exists(), f"no snapshot {snap.name}; run with ANALYTICS_REGENERATE_GOLDEN=1 and review the diff"
    expected = json.loads(snap.read_text(encoding="utf-8"))
    for key in expected:
        assert record.get(key) == expected[key], f"{doc.name}: '{key}' differs from tests/golden/{snap.name}"
    assert set(record) == set(expected)


def test_regenerate_flag_is_off():
    assert not REGENERATE, "ANALYTICS_REGENERATE_GOLDEN=1 rewrites the snapshots; unset it once they are reviewed"
