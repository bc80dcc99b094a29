"""Refresh docs/screenshot.png from a running app: python scripts/readme_screenshot.py [URL].

Start the app first (./run); the shot is the landing page (总览) at 1400×1000 in Debian's Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501/"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(URL, wait_until="networkidle")
    page.get_by_text("核心指标").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(4000)  # let every chart finish drawing
    page.screenshot(path=str(OUT))
    browser.close()
print(OUT)
