"""The dashboard in a real browser: Chromium (through Playwright) against ``streamlit run app.py``
on a small real warehouse. Every page must render without an error box; a filter change must
survive moving to another page and a reload. Screenshots go to tests/artifacts/ for a human look."""

from __future__ import annotations


import pytest

from fixtures.browser import ARTIFACTS, error_texts, playwright_or_skip, settle
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


# What each uploader's button and limit line show: the drawn (::after) text and whether the
# text Streamlit writes itself is visible (its font size).
UPLOADER_TEXTS = """() => [...document.querySelectorAll("[data-testid='stFileUploaderDropzone']")].map(z => {
    const b = z.querySelector("button [data-testid='stMarkdownContainer'] p");
    const i = z.querySelector("[data-testid='stFileUploaderDropzoneInstructions'] span");
    return {button_own: getComputedStyle(b).fontSize, button: getComputedStyle(b, '::after').content,
            limit_own: getComputedStyle(i).fontSize, limit: getComputedStyle(i, '::after').content};
})"""


def test_uploaders_speak_chinese(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{server}/upload")
    settle(page)
    shown = page.evaluate(UPLOADER_TEXTS)
    assert len(shown) == 2
    for u in shown:
        assert u["button_own"] == "0px" and u["limit_own"] == "0px", u  # "Upload", "50MB per file …"
        assert u["button"] == '"选择文件"', u
    assert shown[0]["limit"].startswith('"单个文件不超过 50 MB'), shown[0]
    assert shown[1]["limit"] == '"CSV 文件"', shown[1]
    report = tmp_path / "报告.txt"
    report.write_text("政府信息公开工作年度报告", encoding="utf-8")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(report))
    settle(page)
    # With a file chosen the zone lists it (name and size) and its add button is an icon (its
    # name is a Material icon ligature): none of Streamlit's English sentences is drawn.
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    zone.locator("[data-testid='stFileChip']").wait_for(timeout=30000)
    assert zone.locator("[data-testid='stFileChipName']").inner_text() == "报告.txt"
    text = zone.inner_text()
    assert "Upload" not in text and "per file" not in text and "Drag" not in text, text
    page.screenshot(path=str(ARTIFACTS / "upload_chinese.png"))
    page.close()
