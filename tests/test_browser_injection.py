"""Hostile document text in a real browser: what Streamlit draws for escaped text, and the app's
pages on a warehouse whose agency, province, file and upload names are Markdown images.

Chromium logs every request a page makes; a tiny HTTP server on a loopback port records every hit.
An image in a name that got interpreted would be fetched from that server. Each page must make no
such request and show the name's literal text. (The app itself fetches its page icon from Google's
font server, so on app pages only requests to the hostile address count.)
"""

from __future__ import annotations

import copy
import http.server
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from analytics.warehouse import connect_read, load_records
from fixtures.browser import error_texts, playwright_or_skip, settle
from fixtures.corpus import gold_records
from fixtures.gold_warehouse import build_warehouse
from fixtures.hostile_text import HOSTILE_MARKDOWN, as_shown
from fixtures.streamlit_server import serve
from robustness_plugin import tally

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[1]
JOINER = "\u2060"  # safe_text's invisible pattern breaker: not part of what a reader sees

playwright_api = playwright_or_skip()


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server hook
        self.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def trap():
    """A loopback HTTP server that records every request: the address hostile names point at."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", _Hits.hits
    server.shutdown()
    server.server_close()


def _visible_text(page) -> str:
    """Everything a reader sees as text, including chart labels (SVG), without the joiner."""
    text = page.evaluate("""() => document.body.innerText + '\\n' +
        Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join('\\n')""")
    return text.replace(JOINER, "")


def _wait_for_text(page, text: str, timeout: float = 60) -> bool:
    """Charts draw after the script run has finished: wait until ``text`` is on the page."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in _visible_text(page):
            return True
        page.wait_for_timeout(250)
    return False


def _outside(requests: list[str], origin: str) -> list[str]:
    return [u for u in requests if not u.startswith((origin, "data:", "blob:"))]


# -- what Streamlit draws for md() ----------------------------------------------------------------

ELEMENTS = {
    "markdown": "[data-testid=stMarkdown] [data-testid=stMarkdownContainer]",
    "caption": "[data-testid=stCaptionContainer]",
    "title": "h1",
    "subheader": "h3",
    "error": "[data-testid=stAlertContentError]",
    "warning": "[data-testid=stAlertContentWarning]",
    "expander": "[data-testid=stExpander] summary [data-testid=stMarkdownContainer]",
    "tab": "[role=tab] >> nth=0",
    "button": "[data-testid=stBaseButton-secondary]",
    "metric": "[data-testid=stMetricLabel]",
}
SCRIPT = """import json, sys
sys.path.insert(0, {src!r})
import streamlit as st
from analytics.dashboard.safe_text import md

for i, s in enumerate(json.loads({cases!r})):
    with st.container(key=f"case_{{i}}"):
        st.markdown(md(s))
        st.caption(md(s))
        st.title(md(s))
        st.subheader(md(s))
        st.error(md(s))
        st.warning(md(s))
        with st.expander(md(s)):
            st.write("内容")
        st.tabs([md(s), "第二页"])
        st.button(md(s), key=f"b{{i}}")
        st.metric(md(s), 1)
"""
# What interpreted Markdown would have produced (Streamlit's own heading anchors link to "#…").
MARKUP = "img, a[href]:not([href^='#']), code, strong, em, del, table, li, pre, blockquote, hr, .katex, h2, h4"


def test_streamlit_draws_escaped_text_as_text(tmp_path, browser, trap):
    import json

    host, hits = trap
    cases = [s.replace("127.0.0.1:9", host) for s in HOSTILE_MARKDOWN]
    script = tmp_path / "escaped.py"
    script.write_text(SCRIPT.format(src=str(ROOT / "src"), cases=json.dumps(cases)), encoding="utf-8")
    with serve(tmp_path / "none.duckdb", tmp_path / "uploads", script=script) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        page.wait_for_selector(f".st-key-case_{len(cases) - 1} [data-testid=stMetric]", timeout=90000)
        page.wait_for_timeout(1500)
        for i, text in enumerate(cases):
            box = page.locator(f".st-key-case_{i}")
            want = " ".join(as_shown(text).split())
            for kind, selector in ELEMENTS.items():
                got = box.locator(selector).first.inner_text().replace(JOINER, "")
                assert " ".join(got.split()) == want, (kind, text, got)
            markup = box.locator(MARKUP)
            assert markup.count() == 0, (text, markup.evaluate_all("els => els.map(e => e.outerHTML)"))
        time.sleep(0.5)
        assert _outside(requests, url) == [] and hits == []
        page.close()
    tally("Markdown injection (Streamlit elements)", "drawn as text", len(cases) * len(ELEMENTS))


# -- the app's pages --------------------------------------------------------------------------------

def _hostile_names(host: str) -> dict[str, str]:
    return {"agency": f"![x](http://{host}/c.png)演示市测试局",
            "province": f"![p](http://{host}/p.png)省",
            "file": f"报告`文件`![f](http://{host}/f.png).pdf",
            "scope": f"<img src=http://{host}/s.png>本机关"}


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, trap):
    host, _ = trap
    names = _hostile_names(host)
    tmp = tmp_path_factory.mktemp("browser_inject")
    db = build_warehouse(tmp / "warehouse.duckdb")
    gold = [g for g in gold_records() if g.get("template") == "2021"]
    records = []
    for year in (2021, 2022, 2023, 2024, 2025):
        r = copy.deepcopy(gold[year % len(gold)])
        r["agency"], r["year"], r["scope"] = names["agency"], year, names["scope"]
        # the largest agency, so every ranking and chart shows it
        r["applications"] = {k: {c: None if v is None else v * 40 for c, v in cols.items()}
                             for k, cols in r["applications"].items()}
        r["source"] = {"path": names["file"], "format": "pdf"}
        records.append(r)
    load_records(db, records, dataset="demo",
                 agency_info={names["agency"]: {"province": names["province"], "city": "演示市",
                                                "level": "city", "kind": "department"}})
    con = connect_read(db)
    (report_id,), = con.execute("SELECT r.report_id FROM reports r JOIN agencies a USING (agency_id) "
                                "WHERE a.name = ? AND r.year = 2025", [names["agency"]]).fetchall()
    con.close()
    with serve(db, tmp / "uploads") as url:
        yield url, names, report_id


def _visit(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 3600}, locale="zh-CN")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    settle(page)
    return page, requests


def test_pages_show_hostile_names_as_text(hostile_app, browser, trap):
    url, names, report_id = hostile_app
    _, hits = trap
    province = quote(names["province"])
    visits = {"总览": (url, [names["agency"]]),
              "总览（新收申请最多的机构）": (f"{url}/?ov_view=top", [names["agency"]]),
              # The agency table it opens with is a canvas grid, no text to find; its other views name the agency.
              "地区对比": (f"{url}/compare", []),
              "地区对比（排名）": (f"{url}/compare?cmp_view=ranking", [names["agency"]]),
              "地区对比（热力图）": (f"{url}/compare?cmp_view=heatmap", [names["agency"]]),
              "地区对比（并列对比，所选省份）": (f"{url}/compare?cmp_view=side&province={province}",
                                        [names["agency"], names["province"]]),
              "数据质量": (f"{url}/quality", [names["agency"]]),
              "报告详情": (f"{url}/report?report={report_id}", [names["agency"], names["file"], names["scope"]])}
    for title, (address, wanted) in visits.items():
        page, requests = _visit(browser, address)
        if title == "报告详情":
            assert page.locator("h3").first.inner_text().replace(JOINER, "") == names["agency"]
            page.get_by_text("来源与导入信息").click()
            page.wait_for_timeout(500)
        for name in wanted:
            assert _wait_for_text(page, name), (title, name)
        assert page.locator(f"img[src*='{trap[0]}'], a[href*='{trap[0]}']").count() == 0, title
        assert error_texts(page) == [], title
        time.sleep(0.3)
        assert [u for u in requests if trap[0] in u] == [], title
        page.close()
    assert hits == []
    tally("Markdown injection (app pages)", "shown as text, nothing fetched", len(visits))


def test_upload_page_shows_hostile_file_names_as_text(hostile_app, browser, trap):
    url, _, _ = hostile_app
    host, hits = trap
    # Browsers read "\" in a URL as "/", so this name would be a working image address.
    refused = f"![u](http:\\{host}\\u.png)`坏`.txt"
    page, requests = _visit(browser, f"{url}/upload")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
        [{"name": refused, "mimeType": "text/plain", "buffer": "这不是一份年度报告。".encode()}])
    page.wait_for_selector("[data-testid=stAlertContentError]", timeout=90000)
    settle(page)
    error = page.locator("[data-testid=stAlertContentError]").first.inner_text().replace(JOINER, "")
    assert error.startswith(refused + "："), error
    assert page.locator(f"img[src*='{host}'], a[href*='{host}']").count() == 0
    time.sleep(0.3)
    assert [u for u in requests if host in u] == [] and hits == []
    page.close()
    tally("Markdown injection (upload names)", "shown as text, nothing fetched", 1)
