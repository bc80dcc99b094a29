"""A scoped reader registers only its region's decisions: a registered name shadows every view,
so the review store's rows must be cut before they are registered."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from analytics.dashboard.scope import decisions_of
from analytics.warehouse.reviewdb import DECISION_SCHEMA, LOG_SCHEMA, Snapshot


def _snapshot() -> Snapshot:
    now = datetime(2026, 1, 5, 9, 30)
    decisions = pa.Table.from_pylist([
        {"fingerprint": "T3_FLOW|甲区政府|2024|total", "status": "confirmed", "note": None, "decided_at": now,
         "actor": "甲", "finding_agency": "甲区政府", "finding_year": 2024, "finding_rule": "T3_FLOW",
         "seen_report_id": 1},
        {"fingerprint": "T3_FLOW|乙县政府|2024|total", "status": "dismissed", "note": "核对无误", "decided_at": now,
         "actor": "乙", "finding_agency": "乙县政府", "finding_year": 2024, "finding_rule": "T3_FLOW",
         "seen_report_id": 2},
        {"fingerprint": "T4_GROUP_SUM|无名|2024|review", "status": "confirmed", "note": None, "decided_at": now,
         "actor": "丙", "finding_agency": None, "finding_year": 2024, "finding_rule": "T4_GROUP_SUM",
         "seen_report_id": None},
    ], schema=DECISION_SCHEMA)
    log = pa.Table.from_pylist([
        {"log_id": i, "fingerprint": fp, "from_status": "open", "to_status": st, "actor": "x", "note": None, "at": now}
        for i, (fp, st) in enumerate([("T3_FLOW|甲区政府|2024|total", "confirmed"),
                                      ("T3_FLOW|乙县政府|2024|total", "dismissed"),
                                      ("T4_GROUP_SUM|无名|2024|review", "confirmed")], 1)], schema=LOG_SCHEMA)
    return Snapshot(7, decisions, log)


def test_only_the_regions_decisions_and_their_log_are_kept():
    cut = decisions_of(_snapshot(), frozenset({"甲区政府"}))
    assert cut.version == 7
    assert cut.decisions["fingerprint"].to_pylist() == ["T3_FLOW|甲区政府|2024|total"]
    assert cut.log["fingerprint"].to_pylist() == ["T3_FLOW|甲区政府|2024|total"]
    assert cut.decisions.schema == DECISION_SCHEMA and cut.log.schema == LOG_SCHEMA


def test_a_region_without_agencies_sees_no_decision():
    cut = decisions_of(_snapshot(), frozenset())
    assert cut.decisions.num_rows == 0 and cut.log.num_rows == 0
