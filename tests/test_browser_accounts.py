"""Accounts in Chromium against a real ``streamlit run`` with an account file made here: a 查看
account cannot decide or import (no button, and the 数据导入 page opened by its URL refuses it); a
county 审核 account sees only its county's agencies on every page and in the downloads, and moves a
finding through every state, each step in the decision log with its name."""

from __future__ import annotations

import csv
import io
import os

import pytest
from openpyxl import load_workbook

from analytics import accounts
from analytics.accounts import Region
from analytics.warehouse import connect_read
from fixtures.browser import error_texts, laptop_page, playwright_or_skip, settle
from fixtures.gold_warehouse import DEMO_REGION, build_warehouse
from fixtures.streamlit_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
playwright_api = playwright_or_skip()

PASSWORD = "浏览器测试-口令-42"
COUNTY = Region(DEMO_REGION["province"], DEMO_REGION["city"], "甲区")
PAGES = ["总览", "地区对比", "趋势", "办理结果", "复议诉讼", "主动公开", "数据质量", "报告详情", "机构画像", "自定义报表"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("accounts_browser")
    db = build_warehouse(tmp / "warehouse.duckdb")
    users = tmp / "users.toml"
    accounts.add("查看员", "查看", Region(), PASSWORD, users)
    accounts.add("甲区审核", "审核", COUNTY, PASSWORD, users)
    old = os.environ.get("ANALYTICS_USERS")
    os.environ["ANALYTICS_USERS"] = str(users)  # serve() hands the server this process's environment
    try:
        with serve(db, tmp / "uploads") as url:
            yield url, db
    finally:
        if old is None:
            del os.environ["ANALYTICS_USERS"]
        else:
            os.environ["ANALYTICS_USERS"] = old


@pytest.fixture(scope="module")
def outside(server):
    """The names of every agency outside the county."""
    with connect_read(server[1]) as con:
        rows = con.execute("SELECT name, province, city, county FROM agencies").fetchall()
    names = [n for n, p, c, k in rows if not COUNTY.contains(p, c, k)]
    assert len(names) >= 5
    return names


@pytest.fixture
def page(browser):
    with laptop_page(browser, height=900) as p:
        yield p


def _sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    settle(page)
    assert page.locator("h1").first.inner_text() == "登录"
    page.get_by_label("账户名").fill(name)
    page.get_by_label("口令").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # On a loaded machine the rerun can start after any fixed pause: wait for the page it leads to.
    page.wait_for_function("() => { const h = document.querySelector('h1');"
                           " return h !== null && h.innerText.trim() !== '登录'; }", timeout=90000)
    settle(page)
    assert page.locator("h1").first.inner_text() != "登录"


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title).click()
    page.wait_for_timeout(400)
    settle(page)


def _download(page, name: str, nth: int = 0, key: str | None = None) -> bytes:
    """A download button's file: by its widget key (``dl_<table key>``) where given, else by its
    text and position."""
    button = (page.locator(f".st-key-{key} button") if key else page.get_by_role("button", name=name).nth(nth))
    with page.expect_download() as got:
        button.click()
    return got.value.path().read_bytes()


def test_viewer_cannot_decide_or_import(server, page):
    url, db = server
    _sign_in(page, f"{url}/quality", "查看员")
    assert error_texts(page) == []
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "当前用户：查看员（查看）\n地区：全部地区" in sidebar.inner_text()
    assert sidebar.get_by_role("link", name="数据导入").count() == 0
    assert page.get_by_text("不能处理发现").count() == 1
    for label in ("确认（确为问题）", "驳回（不是问题）"):
        assert page.get_by_role("button", name=label).count() == 0
    # The import page asked for by its address: refused, no upload field.
    _sign_in(page, f"{url}/upload", "查看员")
    assert error_texts(page) == ["当前账户“查看员”（查看）无权导入报告：需要“管理”或更高角色"]
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    with connect_read(db) as con:
        assert con.execute("SELECT count(*) FROM finding_decision_log").fetchone()[0] == 0


def test_county_account_sees_only_its_county(server, page, outside):
    url, _ = server
    _sign_in(page, url, "甲区审核")
    assert error_texts(page) == []
    assert "当前用户：甲区审核（审核）\n地区：演示省/演示市/甲区" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert "演示省 / 演示市 / 甲区，" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    seen = 0
    for title in PAGES:
        _go(page, title)
        text = page.locator("body").inner_text()
        assert error_texts(page) == [], title
        assert [n for n in outside if n in text] == [], title
        seen += "甲区" in text
        if title in ("地区对比", "数据质量", "自定义报表"):
            data = _download(page, "下载 CSV")
            table = data.decode("utf-8-sig")
            assert len(list(csv.reader(io.StringIO(table)))) > 1, title
            assert [n for n in outside if n in table] == [], title
        if title == "自定义报表":
            book = load_workbook(io.BytesIO(_download(page, "下载 Excel（含数据字典）")))
            cells = " ".join(str(v) for row in book["报表"].values for v in row if v is not None)
            assert "演示市甲区人民政府" in cells
            assert [n for n in outside if n in cells] == []
    assert seen >= 5


STEPS = ["驳回（不是问题）", "确认（确为问题）", "标记为已通知", "标记为已整改", "退回（整改不到位）",
         "标记为已通知", "标记为已整改", "复核通过"]
STATES = ["dismissed", "confirmed", "notified", "rectified", "returned", "notified", "rectified", "verified"]


def test_reviewer_moves_a_finding_through_every_state(server, page):
    url, db = server
    _sign_in(page, f"{url}/quality", "甲区审核")
    for i, label in enumerate(STEPS):
        page.get_by_label("备注", exact=True).fill(f"第{i + 1}步")  # sent with the click that follows
        page.get_by_role("button", name=label).click()
        page.wait_for_timeout(500)
        settle(page)
        assert error_texts(page) == [], label
        assert page.get_by_text("操作人：甲区审核）").count() >= 1, label
    assert page.get_by_text("该发现已处理完毕").count() == 1
    # The decision log as the page shows it (its CSV download) and as the warehouse holds it.
    log = list(csv.DictReader(io.StringIO(_download(page, "下载 CSV", key="dl_finding_history").decode("utf-8-sig"))))
    assert [r["操作人"] for r in log] == ["甲区审核"] * len(STEPS)
    assert [r["备注"] for r in log] == [f"第{i + 1}步" for i in range(len(STEPS))]
    assert log[0]["原状态"] == "待确认" and log[-1]["新状态"] == "复核通过"
    with connect_read(db) as con:
        rows = con.execute("SELECT l.to_status, l.actor, a.county FROM finding_decision_log l "
                           "JOIN findings f USING (fingerprint) JOIN agencies a ON a.agency_id = f.agency_id "
                           "ORDER BY log_id").fetchall()
    assert [r[0] for r in rows] == STATES
    assert {(r[1], r[2]) for r in rows} == {("甲区审核", "甲区")}
