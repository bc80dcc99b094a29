"""The 机构画像 and 自定义报表 pages in Chromium at 1280×800: screenshots for a human look
(tests/artifacts/profile/), a click from a table to an agency's profile, and the builder's two
downloads as a browser saves them, opened with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from fixtures.browser import ARTIFACTS, error_texts, laptop_page, playwright_or_skip, settle
from fixtures.gold_warehouse import build_warehouse
from fixtures.streamlit_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = ARTIFACTS / "profile"
AGENCY = "演示市甲区人民政府"
BUILDER = ("builder?province=演示省&years=2020-2023&rb_t3=a_new_received~a_total_processed~a_granted"
           "&rb_t4=rv_total&rb_metrics=substantive_disclosure_rate")

playwright_api = playwright_or_skip()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("profile_browser")
    db = build_warehouse(tmp / "warehouse.duckdb")
    with serve(db, tmp / "uploads") as url:
        yield url


@pytest.fixture
def page(browser):
    with laptop_page(browser, height=800) as p:
        yield p


def _open(page, url):
    page.goto(url)
    settle(page)
    assert error_texts(page) == []


def test_profile_page_draws_its_charts_and_links(server, page):
    _open(page, f"{server}/profile?pf_agency={quote(AGENCY)}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "profile.png"))
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() == 6
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        if i % 2 == 0:
            page.screenshot(path=str(SHOTS / f"profile_charts{i // 2}.png"))
    for name in ("检查发现", "某一年的三张表格"):
        page.get_by_text(name, exact=True).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"profile_{name}.png"))
    assert page.get_by_text(AGENCY + "（演示）").count() >= 1
    link = page.locator('[data-testid="stPageLink"] a').filter(has_text="在“报告详情”中打开")
    assert "report?report=" in (link.first.get_attribute("href") or "")


def test_builder_downloads_open_with_chinese_intact(server, page):
    _open(page, f"{server}/{BUILDER}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "builder.png"))
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "builder_table.png"))
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 Excel（含数据字典）").click()
    xlsx = got.value
    assert xlsx.suggested_filename == "自定义报表_演示省_2020-2023_实质公开率等.xlsx"
    book = load_workbook(io.BytesIO(xlsx.path().read_bytes()))  # the saved file has no suffix
    assert book.sheetnames == ["报表", "数据字典", "说明"]
    rows = list(book["报表"].values)
    assert rows[0][:4] == ("行类型", "机构代码", "机构", "省份") and rows[-1][0] == "合计"
    assert any("（演示）" in (r[2] or "") for r in rows[1:])
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 CSV").first.click()
    text = open(got.value.path(), encoding="utf-8-sig").read()
    assert got.value.suggested_filename == "自定义报表_演示省_2020-2023_实质公开率等.csv"
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == [str(c) for c in rows[0]]
    assert [r[0] for r in table[1:]] == [r[0] for r in rows[1:]]
