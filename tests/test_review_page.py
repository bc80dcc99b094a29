"""The 数据质量 page walks a finding through its review steps: only the allowed next steps are
offered, each step is confirmed on the page, and the finding's history lists every step with
its author (本机用户 when the app has no accounts). Runs under AppTest on the sample warehouse."""

from __future__ import annotations

import pytest

from analytics.warehouse import connect_read
from analytics.warehouse.review import LOCAL_USER, STATUS_ZH, TRANSITIONS
from fixtures.app_test import open_page
from fixtures.gold_warehouse import build_warehouse

KEYS = {"confirmed": "q_confirm", "dismissed": "q_dismiss"}


@pytest.fixture
def own_warehouse(tmp_path, monkeypatch):
    path = build_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("ANALYTICS_DB", str(path))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    return path


def offered(at) -> set[str]:
    keys = {b.key for b in at.button}
    return {s for s in STATUS_ZH if KEYS.get(s, f"q_{s}") in keys}


def history_table(at):
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["时间", "原状态", "新状态", "操作人", "备注"]]
    return tables[0] if tables else None


def test_a_finding_goes_through_its_steps_on_the_page(own_warehouse):
    at = open_page("quality")
    fp = at.selectbox(key="q_fp").value
    assert offered(at) == set(TRANSITIONS["open"])
    assert history_table(at) is None and any("尚无处理记录" in c.value for c in at.caption)
    path = [("confirmed", "已核对原件"), ("notified", "已发通知"), ("rectified", "已更正重发"),
            ("returned", "更正不完整")]
    for i, (target, note) in enumerate(path, 1):
        at.text_input(key="q_note").set_value(note)
        at.button(key=KEYS.get(target, f"q_{target}")).click().run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert [s.value for s in at.success] == [f"已将该发现改为“{STATUS_ZH[target]}”（操作人：{LOCAL_USER}）"]
        assert at.selectbox(key="q_fp").value == fp, "the same finding stays selected"
        assert offered(at) == set(TRANSITIONS[target])
        table = history_table(at)
        assert list(table["新状态"]) == [STATUS_ZH[s] for s, _ in path[:i]]
        assert list(table["原状态"]) == [STATUS_ZH[s] for s in ["open"] + [s for s, _ in path[:i - 1]]]
        assert set(table["操作人"]) == {LOCAL_USER} and list(table["备注"]) == [n for _, n in path[:i]]
    with connect_read(own_warehouse) as con:
        assert con.execute("SELECT status, actor, note FROM finding_decisions WHERE fingerprint = ?", [fp]).fetchall() \
            == [("returned", LOCAL_USER, "更正不完整")]
        steps = con.execute("SELECT to_status FROM finding_decision_log WHERE fingerprint = ? ORDER BY log_id",
                            [fp]).fetchall()
    assert [s for (s,) in steps] == [s for s, _ in path]
    # the status filter knows the new statuses
    at.selectbox(key="q_status").set_value("returned").run()
    assert not at.exception
    table = at.dataframe[[i for i, d in enumerate(at.dataframe) if "指纹" in d.value.columns][0]].value
    assert list(table["指纹"]) == [fp] and list(table["状态"]) == ["退回"]
