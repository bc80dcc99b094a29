"""The dashboard in a real browser: Chromium (through Playwright) against ``streamlit run app.py``
on a small real warehouse. Every page must render without an error box; a filter change must
survive moving to another page and a reload. Screenshots go to tests/artifacts/ for a human look."""

from __future__ import annotations


import pytest

from fixtures.browser import ARTIFACTS, chromium, error_texts, playwright_or_skip, settle
from fixtures.streamlit_server import serve
from fixtures.gold_warehouse import build_warehouse

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The default page (总览) lives at the root URL.
PAGES = ["", "compare", "trends", "outcomes", "review", "active", "quality", "report", "profile", "builder", "upload"]

playwright_api = playwright_or_skip()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    db = build_warehouse(tmp / "warehouse.duckdb")
    with serve(db, tmp / "uploads") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_every_page_renders_without_errors(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1500, "height": 3600}, locale="zh-CN")
    for name in PAGES:
        page.goto(f"{server}/{name}")
        settle(page)
        assert error_texts(page) == [], f"error box on {name or 'overview'}"
        assert page.get_by_text("Page not found").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"{name or 'overview'}.png"), full_page=True)
        if name not in ("upload",):
            assert page.locator('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]').count() > 0, name
    page.close()


def test_filter_survives_navigation_and_reload(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(server)
    settle(page)
    assert page.get_by_text("当前结果包含").count() > 0  # the demo notice while demo data is shown
    before = page.locator('[data-testid="stMetricValue"]').first.inner_text()

    page.get_by_role("combobox", name="省份").click()
    page.get_by_role("option", name="演示省").click()
    page.wait_for_url("**province=*", timeout=15000)
    settle(page)
    assert "province=%E6%BC%94%E7%A4%BA%E7%9C%81" in page.url or "province=演示省" in page.url
    after = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert after != before  # the report count of one province differs from that of all data

    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="地区对比").click()
    settle(page)
    assert "/compare" in page.url and "province=" in page.url
    assert "演示省" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()

    page.reload()
    settle(page)
    assert "演示省" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert error_texts(page) == []
    page.screenshot(path=str(ARTIFACTS / "compare_filtered.png"), full_page=True)
    page.close()
