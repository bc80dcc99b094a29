"""数据质量: one review step on every finding of the filtered list, in one write, with its result
said after the page reloads; each finding's step logged under the reviewer's name."""

from __future__ import annotations

import pytest

from analytics.warehouse import connect_read
from fixtures.app_test import app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture
def warehouse(tmp_path):
    with app_warehouse(build_warehouse(tmp_path / "warehouse.duckdb")) as path:
        yield path


def test_bulk_step_on_the_filtered_list(warehouse):
    with connect_read(warehouse) as con:
        listed = {r[0] for r in con.execute("SELECT fingerprint FROM findings_placed WHERE rule = 'T4_GROUP_SUM'").fetchall()}
    assert len(listed) >= 2
    at = open_page("quality")
    at.multiselect(key="q_rules").set_value(["T4_GROUP_SUM"]).run()
    assert at.selectbox(key="q_bulk_to").options  # the steps the listed statuses allow
    at.selectbox(key="q_bulk_to").set_value("confirmed")
    at.text_input(key="q_bulk_note").set_value("批量核对")
    at.button(key="q_bulk_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = " ".join(s.value for s in at.success)
    assert f"已将 {len(listed)} 条发现改为“已确认”" in said
    with connect_read(warehouse) as con:
        log = con.execute("SELECT fingerprint, from_status, to_status, note FROM finding_decision_log").fetchall()
    assert {fp for fp, *_ in log} == listed
    assert {(f, t, n) for _, f, t, n in log} == {("open", "confirmed", "批量核对")}

    # The next step on the same list: every finding now allows it.
    at.selectbox(key="q_bulk_to").set_value("notified")
    at.button(key="q_bulk_go").click().run()
    said = " ".join(s.value for s in at.success)
    assert f"已将 {len(listed)} 条发现改为“已通知”" in said
