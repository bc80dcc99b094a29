"""Accounts in the app under AppTest: the sign-in page, the badge, and role gating on the pages and
in the write functions they call (a 查看 account calling them is refused, not just shown no button)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import accounts
from analytics.accounts import Region
from analytics.dashboard.auth import LOCAL_NOTICE, SESSION
from analytics.dashboard.safe_text import md
from analytics.warehouse import connect_read
from fixtures.app_test import APP, open_page
from fixtures.corpus import REAL
from fixtures.gold_warehouse import DEMO_REGION, build_warehouse

PASSWORD = "口令-足够长-123"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("accounts")
    users = root / "users.toml"
    accounts.add("查看员", "查看", Region(), PASSWORD, users)
    accounts.add("甲区审核", "审核", Region(DEMO_REGION["province"], DEMO_REGION["city"], "甲区"), PASSWORD, users)
    accounts.add("管理员", "管理", Region(), PASSWORD, users)
    accounts.add("甲区管理", "管理", Region(DEMO_REGION["province"], DEMO_REGION["city"], "甲区"), PASSWORD, users)
    return build_warehouse(root / "warehouse.duckdb"), users


@pytest.fixture
def signed(setup, monkeypatch):
    warehouse, users = setup
    monkeypatch.setenv("ANALYTICS_DB", str(warehouse))
    monkeypatch.setenv("ANALYTICS_USERS", str(users))

    def open_as(name: str | None, page: str = "overview") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=300)
        if name:
            at.session_state[SESSION] = name
        at.run()
        if name:
            at.switch_page(f"pages/{page}.py")
            at.run()
        return at

    return open_as


def _sidebar_text(at) -> str:
    return " ".join(e.value for e in at.sidebar.caption) + " ".join(e.value for e in at.sidebar.markdown)


def test_sign_in_page_wrong_password_then_right(signed):
    at = signed(None)
    assert [t.value for t in at.title] == ["登录"]
    assert not at.sidebar.selectbox  # no filters, no data, before signing in
    at.text_input(key="auth_name").set_value("查看员")
    at.text_input(key="auth_password").set_value("wrong-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["账户名或口令不正确。"]
    at.text_input(key="auth_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "总览"
    assert "当前用户：**查看员**（查看）  \n:small[地区：全部地区]" in _sidebar_text(at)
    at.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["登录"]


def test_repeated_failures_lock_the_name_for_a_while(signed):
    at = signed(None)
    at.text_input(key="auth_name").set_value("管理员")
    for _ in range(5):
        at.text_input(key="auth_password").set_value("wrong-password")
        at.button[0].click().run()
        assert [e.value for e in at.error] == ["账户名或口令不正确。"]
    at.text_input(key="auth_password").set_value(PASSWORD)  # even the right one, for now
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["该账户登录失败次数过多，请 5 分钟后再试。"]
    assert [t.value for t in at.title] == ["登录"]


def test_a_removed_account_is_signed_out_at_the_next_run(setup, signed, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    users.write_bytes(setup[1].read_bytes())
    monkeypatch.setenv("ANALYTICS_USERS", str(users))
    at = signed("管理员")
    assert at.title[0].value == "总览"
    accounts.remove("管理员", users)
    at.run()
    assert [t.value for t in at.title] == ["登录"]


def test_viewer_has_no_step_buttons_and_no_import(signed):
    at = signed("查看员", "quality")
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="q_fp").value  # findings are listed
    labels = {b.label for b in at.button}
    assert not labels & {"确认（确为问题）", "驳回（不是问题）"}
    assert not [b for b in at.button if b.key == "q_bulk_go"]  # no bulk step either
    assert any("不能处理发现" in c.value for c in at.caption)
    at = signed("查看员", "upload")
    assert not at.file_uploader
    assert [e.value for e in at.error] == ["当前账户“查看员”（查看）无权导入报告：需要“管理”或更高角色"]
    links = {link.proto.page for link in at.sidebar.get("page_link")}
    assert "compare" in links and "upload" not in links
    at = signed("查看员", "report")
    assert not at.exception, [e.message for e in at.exception]
    assert not [b for b in at.button if b.label == "保存更正"]  # no correction form
    assert any("更正单元格需要审核或管理角色" in c.value for c in at.caption)


def _direct_calls():
    """Run as a script by AppTest: call the write functions the pages call, as a 查看 session."""
    import streamlit as st

    from analytics.accounts import Forbidden
    from analytics.dashboard import db, writes

    fp = db.query("findings_list", **{**__import__("analytics.dashboard.filters", fromlist=["x"]).example(),
                                     "status": "all", "limit": 1})["fingerprint"].iloc[0]
    for call in (lambda: writes.decide(fp, "confirmed", None), lambda: writes.accept_upload("a.txt", b"x"),
                 lambda: writes.import_records([]),
                 lambda: writes.correct_cell(1, "applications", "new_received:total", 1, "试图更正"),
                 lambda: writes.decide_many([fp], "confirmed", None)):
        try:
            call()
            st.write("allowed")
        except Forbidden as exc:
            st.write(exc.message)


def test_viewer_calling_the_writes_directly_is_refused(signed, setup):
    at = AppTest.from_function(_direct_calls, default_timeout=120)
    at.session_state[SESSION] = "查看员"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    said = [m.value for m in at.markdown]
    assert said == [f"当前账户“查看员”（查看）无权{what}：需要“{role}”或更高角色" for what, role in
                    [("处理检查发现", "审核"), ("导入报告", "管理"), ("导入报告", "管理"), ("更正单元格", "审核"),
                     ("处理检查发现", "审核")]]
    with connect_read(setup[0]) as con:
        assert con.execute("SELECT count(*) FROM finding_decision_log").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM cell_corrections").fetchone()[0] == 0


def _decide_outside():
    """A county 审核 session asking for a step on a finding of another county, by its fingerprint."""
    import streamlit as st

    from analytics.accounts import Forbidden
    from analytics.dashboard import writes
    from analytics.warehouse import connect_read

    with connect_read() as con:
        fp = con.execute("SELECT fingerprint FROM findings JOIN agencies USING (agency_id) "
                         "WHERE county IS DISTINCT FROM '甲区' LIMIT 1").fetchone()[0]
        report_id = con.execute("SELECT report_id FROM reports JOIN agencies USING (agency_id) "
                                "WHERE county IS DISTINCT FROM '甲区' LIMIT 1").fetchone()[0]
    for call in (lambda: writes.decide(fp, "confirmed", None),
                 lambda: writes.correct_cell(report_id, "applications", "new_received:total", 1, "试图更正")):
        try:
            call()
            st.write("allowed")
        except Forbidden as exc:
            st.write(exc.message)


def test_county_reviewer_cannot_act_outside_its_county(signed, setup):
    at = AppTest.from_function(_decide_outside, default_timeout=120)
    at.session_state[SESSION] = "甲区审核"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [m.value for m in at.markdown] == ["该发现不在当前账户的地区范围内，或不存在",
                                              "该报告不在当前账户的地区范围内，或不存在"]
    with connect_read(setup[0]) as con:
        assert con.execute("SELECT count(*) FROM cell_corrections").fetchone()[0] == 0


def test_local_mode_says_so_on_every_page(setup, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYTICS_DB", str(setup[0]))
    monkeypatch.setenv("ANALYTICS_USERS", str(tmp_path / "none.toml"))
    for page in ("overview", "quality", "upload", "report"):
        at = open_page(page)
        assert LOCAL_NOTICE in _sidebar_text(at), page
        assert at.button(key="q_confirm") if page == "quality" else True


@pytest.mark.parametrize("name, loads", [("管理员", True), ("甲区管理", False)])
def test_import_is_the_admins_within_its_region(setup, signed, tmp_path, monkeypatch, name, loads):
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(setup[0].read_bytes())
    monkeypatch.setenv("ANALYTICS_DB", str(warehouse))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    manifest = "path,agency,year,province,city\n高新区_2021.txt,测试高新区管委会,2021,测试省,测试市\n"
    at = signed(name, "upload")
    at.file_uploader(key="up_files").set_value([("高新区_2021.txt", (REAL / "高新区_2021.txt").read_bytes(), "text/plain")])
    at.file_uploader(key="up_manifest").set_value(("清单.csv", manifest.encode(), "text/csv"))
    at.run()
    [b for b in at.button if b.label.startswith("导入")][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    with connect_read(warehouse) as con:
        n = con.execute("SELECT count(*) FROM agencies WHERE name = '测试高新区管委会'").fetchone()[0]
    assert n == (1 if loads else 0)
    if not loads:
        assert [e.value for e in at.error] == [
            "导入失败：" + md("以下机构不在当前账户的地区（演示省/演示市/甲区）内，不能导入：测试高新区管委会")]
