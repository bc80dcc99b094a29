"""Record → rows conversion: one cell row per value, provenance kept, bad records refused."""

from __future__ import annotations

import pytest

from analytics import fields as F
from analytics.report_record import Report
from analytics.warehouse.records import BadRecord, cell_rows, record_sha, report_row
from fixtures.records import T2, make_record


def test_a_built_record_gives_one_cell_per_value():
    record = make_record("某市教育局", 2023)
    cells = cell_rows(Report.from_json(record))
    n_app = len(F.keys("applications_row", "2021")) * len(F.APPLICATION_COLS)
    assert len(cells) == n_app + 15 + len(T2)
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
