"""One changed cell in an otherwise consistent table 3 is found exactly where the rules say.

Thirty reports, each with one applicant cell raised by a random amount (seeded): the row sum rule
must name that row, and the flow and outcome rules that column, and nothing else.
"""

from __future__ import annotations

import random

from analytics import fields as F
from analytics.warehouse import connect_read, load_records
from fixtures.records import PARTS, fresh_warehouse, make_record

FLOW_ROWS = {"new_received", "carried_over", "total_processed", "carried_forward"}
OUTCOME_ROWS = {"total_processed"} | {k for k in F.keys("applications_row", "2021")
                                      if k not in ("new_received", "carried_over", "total_processed", "carried_forward")}


def test_single_cell_changes_are_located(tmp_path):
    rng = random.Random(20240131)
    db = fresh_warehouse(tmp_path / "w.duckdb")
    rows = F.keys("applications_row", "2021")
    records, expected = [], {}
    for i in range(30):
        agency = f"江苏省淮安市第{i}局"
        r = make_record(agency, 2023)
        row, col, delta = rng.choice(rows), rng.choice(PARTS), rng.randint(1, 9)
        r["applications"][row][col] += delta
        records.append(r)
        expected[agency] = {("T3_COLUMN_SUM", row)}
        if row in FLOW_ROWS:
            expected[agency].add(("T3_FLOW", col))
        if row in OUTCOME_ROWS:
            expected[agency].add(("T3_OUTCOME_SUM", col))
    load_records(db, records)
    con = connect_read(db)
    found = {}
    for agency, rule, subject in con.execute(
            "SELECT agency_id, rule, subject FROM findings WHERE rule LIKE 'T3%'").fetchall():
        found.setdefault(agency, set()).add((rule, subject))
    assert found == expected
