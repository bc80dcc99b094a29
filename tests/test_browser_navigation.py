"""The sidebar of a brand-new session in a real browser, from its first paint until the app has
settled: it must never show the script file names of ``pages/`` as navigation, only the Chinese
page titles, and it must carry the filters, also on a page opened directly by URL.

Streamlit serves a folder-of-pages app (``app.py`` beside ``pages/``) in its legacy pages-folder
mode until the first run of ``app.py`` calls ``st.navigation``, so only the first session of a
server process shows what this test looks for. Each test therefore starts a server of its own.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from fixtures.browser import ARTIFACTS, playwright_or_skip, settle
from fixtures.gold_warehouse import DEMO_REGION, build_warehouse
from fixtures.streamlit_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FILE_NAMES = {"app", "overview", "compare", "trends", "outcomes", "review", "active", "quality", "report",
              "upload"}
TITLES = ["总览", "地区对比", "趋势", "办理结果", "复议诉讼", "主动公开", "数据质量", "报告详情", "机构画像", "自定义报表", "数据导入"]
VIEWPORT = {"width": 1280, "height": 800}
playwright_api = playwright_or_skip()

# Installed before any of the app's own scripts: every time the DOM changes, each line of text the
# sidebar shows is recorded, so a navigation drawn for a moment and replaced is still seen.
RECORD_SIDEBAR = """
window.__sidebarTexts = [];
const seen = new Set();
const record = () => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  if (!bar) return;
  for (const line of bar.innerText.split('\\n')) {
    const text = line.trim();
    if (text && !seen.has(text)) { seen.add(text); window.__sidebarTexts.push(text); }
  }
};
new MutationObserver(record).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("nav") / "warehouse.duckdb")


@pytest.fixture
def fresh_server(warehouse, tmp_path):
    with serve(warehouse, tmp_path / "uploads") as url:
        yield url


def _first_session(browser, url: str, shot: str) -> tuple[object, list[str]]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.add_init_script(RECORD_SIDEBAR)
    page = context.new_page()
    page.goto(url)
    settle(page)
    # The reset button is the sidebar's last element: once it is drawn, so is the whole sidebar.
    page.wait_for_selector('[data-testid="stSidebar"] >> text=重置筛选', timeout=60000)
    settle(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page, page.evaluate("window.__sidebarTexts")


def _check_navigation(texts: list[str]) -> None:
    shown_names = sorted({t for t in texts if t.lower() in FILE_NAMES})
    assert shown_names == [], f"the sidebar showed script file names: {shown_names}"
    missing = [t for t in TITLES if t not in texts]
    assert missing == [], f"page titles never shown in the sidebar: {missing}; saw {texts}"


def test_new_session_on_the_landing_page(fresh_server, browser):
    page, texts = _first_session(browser, fresh_server, "nav_landing.png")
    _check_navigation(texts)
    assert page.locator("h1").first.inner_text() == "总览"
    assert "年份" in texts and "省份" in texts
    page.context.close()


def test_new_session_on_a_page_opened_by_url(fresh_server, browser):
    province = DEMO_REGION["province"]
    url = f"{fresh_server}/compare?years=2020-2023&province={quote(province)}"
    page, texts = _first_session(browser, url, "nav_compare_direct.png")
    _check_navigation(texts)
    assert page.locator("h1").first.inner_text() == "地区对比"
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("combobox", name="省份").input_value() == province
    slider = sidebar.locator('[data-testid="stSlider"]').inner_text()
    assert re.search(r"2020.*2023", slider, re.S), slider
    caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert province in caption and "2020–2023 年" in caption
    assert "province=" in page.url and "years=2020-2023" in page.url
    page.context.close()


@pytest.mark.parametrize("path", ["/overview", "/overview?years=2021-2023"])
def test_the_overview_link_opens_the_overview(fresh_server, browser, path):
    page, texts = _first_session(browser, fresh_server + path, "nav_overview_link.png")
    _check_navigation(texts)
    assert page.locator("h1").first.inner_text() == "总览"
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("does not seem to exist").count() == 0
    if "years=" in path:
        assert "2021–2023 年" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    page.context.close()


def test_a_shared_link_restores_the_page_choices(fresh_server, browser):
    url = f"{fresh_server}/trends?tr_metric=denial_rate&tr_group=kind"
    page, _ = _first_session(browser, url, "nav_shared_choices.png")
    assert page.locator("h1").first.inner_text() == "趋势"
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_role("combobox", name="指标").input_value() == "不予公开率"
    assert main.get_by_role("combobox", name="分组").input_value() == "机构类型"
    assert "tr_metric=denial_rate" in page.url and "tr_group=kind" in page.url
    page.context.close()
