"""Every page on a 1280×800 laptop screen in Chromium: a screenshot of the page and of each chart
goes to tests/artifacts/laptop/ for a human look; the visible text holds no English UI words; the
sankey and sunburst labels are drawn at a readable size and do not overlap."""

from __future__ import annotations

import re

import pytest

from fixtures.browser import ARTIFACTS, error_texts, laptop_page, playwright_or_skip, settle
from fixtures.gold_warehouse import build_warehouse
from fixtures.streamlit_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = ["", "compare", "trends", "outcomes", "review", "active", "quality", "report", "profile", "builder", "upload"]
# 地区对比 opens with its agency table; its other views, each drawing a chart, by URL.
PAGES += [f"compare?cmp_view={v}" for v in ("ranking", "distribution", "outliers", "heatmap", "side")]
SHOTS = ARTIFACTS / "laptop"

# English words a reader could meet in a half-translated page: Streamlit's own texts, Python's
# and pandas' missing values, and the warehouse's codes for levels, kinds, severities and statuses.
ENGLISH = ["Upload", "Browse files", "Drag and drop", "per file", "Loading", "Running", "Deploy", "Page not found",
           "None", "nan", "NaN", "NaT", "null", "undefined", "True", "False", "Error", "Warning",
           "error", "warning", "not_assessable", "open", "confirmed", "dismissed", "province", "city", "county",
           "township", "national", "government", "office", "department", "zone", "jurisdiction", "agency",
           "real", "demo", "total", "count", "value", "year", "name", "Show more", "Show less", "Select"]
_WORDS = re.compile(r"(?<![A-Za-z_])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![A-Za-z_])")

# The text a reader sees: visible text nodes of the app, without the names of Material icons
# (drawn as ligatures: "upload_file" is an icon), table cells (data as stored, in the table's own
# accessible copy) and, where asked, one more selector's elements.
_VISIBLE_TEXT = """(skip) => {
    const out = [];
    const root = document.querySelector('[data-testid="stApp"]');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const excluded = '[data-testid="stIconMaterial"], [data-testid="stDataFrame"], [data-testid="stSkipLink"], '
                     + 'noscript, style, script' + (skip ? ', ' + skip : '');
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(excluded)) continue;
        if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
        const t = n.textContent.trim();
        if (t) out.push(t);
    }
    return out.join('\\n');
}"""

# Streamlit 1.67 draws the uploader's button ("Upload") and limit line ("200MB per file • PDF …")
# in English and has no setting to change them; the page says the same in Chinese beside it.
UPLOADER = '[data-testid="stFileUploaderDropzone"]'

playwright_api = playwright_or_skip()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("laptop")
    db = build_warehouse(tmp / "warehouse.duckdb")
    with serve(db, tmp / "uploads") as url:
        yield url


@pytest.fixture(scope="module")
def page(server, browser):
    with laptop_page(browser) as pg:
        yield pg


def _open(page, server, name):
    page.goto(f"{server}/{name}")
    settle(page)
    assert error_texts(page) == [], f"error box on {name or 'overview'}"


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"\W+", "_", name)
    page.screenshot(path=str(SHOTS / f"{name or 'overview'}.png"))
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        charts.nth(i).screenshot(path=str(SHOTS / f"{name or 'overview'}_chart{i}.png"))
    return charts.count()


@pytest.mark.parametrize("name", PAGES)
def test_page_on_a_laptop_screen_speaks_chinese(server, page, name):
    _open(page, server, name)
    n_charts = _shoot(page, name)  # scrolls every chart into view, so each has been drawn
    if name not in ("report", "builder", "upload", "compare"):
        assert n_charts > 0
    text = page.evaluate(_VISIBLE_TEXT, UPLOADER if name == "upload" else "")
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 50, text[:300]
    found = sorted(set(_WORDS.findall(text)))
    assert found == [], f"English on {name or 'overview'}: {found}"


def test_only_the_uploader_itself_shows_english_on_the_upload_page(server, page):
    _open(page, server, "upload")
    inside = page.locator(UPLOADER).first.inner_text()
    assert "Upload" in inside  # Streamlit's own button text: if a later version translates it, drop the exclusion
    labels = page.locator('[data-testid="stWidgetLabel"]').all_inner_texts()
    assert any("报告文件" in t for t in labels)


def _boxes(page, selector):
    return page.evaluate("""(sel) => Array.from(document.querySelectorAll(sel)).filter(e => e.textContent.trim())
        .map(e => { const r = e.getBoundingClientRect();
                    return {text: e.textContent.trim(), x: r.x, y: r.y, w: r.width, h: r.height,
                            size: parseFloat(getComputedStyle(e).fontSize)}; })""", selector)


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def test_sankey_and_sunburst_labels_are_readable(server, page):
    _open(page, server, "outcomes")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    # Sunburst labels sit inside their own slices (Plotly places them there, or hides them), and a
    # rotated label's box is wider than its slice, so only sankey labels are checked for overlaps.
    for selector, what in ((".sankey .node-label", "sankey"), ("text.slicetext", "sunburst")):
        # A label Plotly hid (no room at the minimum size) has no box; one it shrank to fit has a
        # small box while its font size stays as set, so the box is what is measured.
        labels = [b for b in _boxes(page, selector) if b["w"] > 0 and b["h"] > 0]
        assert len(labels) >= 4, f"{what}: only {[b['text'] for b in labels]} drawn"
        small = [b["text"] for b in labels if min(b["w"], b["h"]) < 11 or b["size"] < 11]
        assert small == [], f"{what} labels below 11 px: {small}"
        if what != "sankey":
            continue
        pairs = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
        assert pairs == [], f"{what} labels overlap: {pairs}"
