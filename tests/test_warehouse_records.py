"""Records built in code for the warehouse tests, and tests of record → rows conversion."""

from __future__ import annotations

import copy

import pytest

from analytics import fields as F
from analytics.report_record import Report
from analytics.warehouse.records import BadRecord, cell_rows, record_sha, report_row

PARTS = [c for c in F.APPLICATION_COLS if c != "total"]

# A table 3 in which every rule holds: rows of six applicant columns (the total is added).
_T3 = {
    "new_received": [80, 1, 0, 0, 2, 0], "carried_over": [3, 0, 0, 0, 0, 0],
    "granted": [20, 1, 0, 0, 0, 0], "partially_granted": [5, 0, 0, 0, 0, 0],
    "denied_law_prohibited": [1, 0, 0, 0, 0, 0], "denied_third_party": [2, 0, 0, 0, 0, 0],
    "denied_process_info": [1, 0, 0, 0, 0, 0], "denied_admin_query": [3, 0, 0, 0, 0, 0],
    "unable_not_held": [30, 0, 0, 0, 1, 0], "unable_needs_creation": [2, 0, 0, 0, 0, 0],
    "refused_petition": [4, 0, 0, 0, 0, 0], "refused_duplicate": [1, 0, 0, 0, 0, 0],
    "other_no_correction": [2, 0, 0, 0, 0, 0], "other_misc": [6, 0, 0, 0, 1, 0],
    "total_processed": [77, 1, 0, 0, 2, 0], "carried_forward": [6, 0, 0, 0, 0, 0],
}
_T4 = {"review": [1, 0, 2, 0], "litigation_direct": [3, 2, 1, 0], "litigation_after_review": [1, 4, 0, 0]}
_T2 = {"regulations_issued": 0, "regulations_repealed": 0, "regulations_in_force": 0,
       "normative_issued": 12, "normative_repealed": 3, "normative_in_force": 150,
       "licensing_decisions": 2293, "punishment_decisions": 1282, "coercion_decisions": 42, "fees_amount": 24.5}
PROSE = ("本年度，本机关认真贯彻落实政府信息公开条例，围绕中心工作，不断加强主动公开，规范依申请公开办理，"
         "完善制度建设，强化平台建设，加强监督保障，推动政府信息公开工作取得新成效。")


def make_record(agency: str, year: int, *, template: str = "2021", sections: dict | None = None, **extra) -> dict:
    """A complete, rule-consistent canonical record; tests change what they need afterwards."""
    rows = [k for k in F.keys("applications_row", template)]
    apps = {}
    for key in rows:
        parts = _T3.get(key)
        if parts is None and key == "other_total":
            parts = [a + b for a, b in zip(_T3["other_no_correction"], _T3["other_misc"])]
        parts = parts or [0] * 6
        apps[key] = dict(zip(PARTS, parts)) | {"total": sum(parts)}
    review = {g: dict(zip(["upheld", "corrected", "other", "pending"], v)) | {"total": sum(v)} for g, v in _T4.items()}
    active = dict(_T2) if template == "2021" else {"licensing_decisions": 2293, "punishment_decisions": 1282,
                                                   "coercion_decisions": 42, "normative_new_made": 12}
    record = {
        "schema": "gov-open-report/1", "agency": agency, "year": year, "template": template,
        "published": None, "scope": None,
        "active_disclosure": active, "applications": apps, "review_litigation": review,
        "sections": sections if sections is not None else {
            "overview": f"{PROSE}{agency}{year}", "problems": "一是公开内容不够全面。二是解读形式较为单一。",
            "other_matters": "本年度未收取信息处理费。"},
        "warnings": [],
    }
    record.update(extra)
    return copy.deepcopy(record)


def with_carry(record: dict, carried_over: list[int], carried_forward: list[int]) -> dict:
    """Change carried_over/carried_forward and keep T3_FLOW true by adjusting new_received."""
    apps = record["applications"]
    for i, col in enumerate(PARTS):
        apps["carried_over"][col] = carried_over[i]
        apps["carried_forward"][col] = carried_forward[i]
        apps["new_received"][col] = apps["total_processed"][col] + carried_forward[i] - carried_over[i]
    for row in ("carried_over", "carried_forward", "new_received"):
        apps[row]["total"] = sum(apps[row][c] for c in PARTS)
    return record


def test_a_built_record_gives_one_cell_per_value():
    record = make_record("某市教育局", 2023)
    cells = cell_rows(Report.from_json(record))
    n_app = len(F.keys("applications_row", "2021")) * len(F.APPLICATION_COLS)
    assert len(cells) == n_app + 15 + len(_T2)
    by_key = {(c[1], c[2], c[3]): c for c in cells}
    assert by_key[("applications", "new_received", "total")][4] == 83.0
    assert by_key[("review_litigation", "review", "total")][4] == 3.0
    assert by_key[("active_disclosure", "fees_amount", "value")][4] == 24.5


def test_parser_provenance_is_kept_and_blank_is_not_zero():
    record = make_record("某市教育局", 2023)
    record["applications"]["granted"]["total"] = None
    record["cells"] = [
        {"table": "applications", "row": "granted", "col": "total", "raw": "", "kind": "blank", "value": None,
         "where": "page 3"},
        {"table": "active_disclosure", "row": "normative_issued", "col": None, "raw": "12（其中修订3件）",
         "kind": "text", "value": 12, "where": "line 40"},
    ]
    by_key = {(c[1], c[2], c[3]): c for c in cell_rows(Report.from_json(record))}
    assert by_key[("applications", "granted", "total")][4:] == (None, "blank", "", "page 3")
    assert by_key[("active_disclosure", "normative_issued", "value")][4:] == (12.0, "text", "12（其中修订3件）", "line 40")


def test_content_hash_is_stable_and_ignores_provenance():
    a = make_record("某市教育局", 2023)
    b = make_record("某市教育局", 2023, cells=[{"table": "applications"}])
    assert record_sha(Report.from_json(a)) == record_sha(Report.from_json(b))
    b["applications"]["granted"]["total"] = 22
    assert record_sha(Report.from_json(a)) != record_sha(Report.from_json(b))


@pytest.mark.parametrize("change, message", [
    ({"agency": ""}, "names no agency"),
    ({"year": None}, "states no year"),
    ({"year": 1999}, "implausible report year 1999"),
])
def test_records_without_agency_or_year_are_refused(change, message):
    record = make_record("某市教育局", 2023) | change
    with pytest.raises(BadRecord, match=message):
        report_row(Report.from_json(record), dataset="real", parser_version="1")


_TEMPLATE = {}


def fresh_warehouse(path) -> str:
    """A new empty warehouse at ``path``: a copy of one built once per test process."""
    import shutil
    import tempfile
    from pathlib import Path

    from analytics.warehouse import write_session
    from analytics.warehouse.schema import ensure_schema

    if "path" not in _TEMPLATE:
        tmpl = Path(tempfile.mkdtemp(prefix="wh-template-")) / "empty.duckdb"
        with write_session(tmpl) as con:
            ensure_schema(con)
        _TEMPLATE["path"] = tmpl
    shutil.copyfile(_TEMPLATE["path"], path)
    return str(path)
