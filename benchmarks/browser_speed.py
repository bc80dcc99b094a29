"""How long a real browser waits for the app, against a trivial Streamlit page in the same run.

    python benchmarks/browser_speed.py [--db WAREHOUSE] [--rounds 5] [--json OUT] [--publish [--before JSON]]

Starts ``streamlit run app.py`` on the warehouse (the bundled one from ``analytics setup`` unless
--db says otherwise) and ``streamlit run`` of a trivial page (a title and one small Plotly chart)
side by side, and in headless Chromium at 1280×800 measures:

- **landing**: a new browser context navigates to the page; the clock stops when the script run
  has finished and every chart on it is drawn, and that has lasted 0.3 s (the wait is subtracted again);
- **switch**: a click on a page in the sidebar until that page's charts are drawn, the same way.

Where the time goes, per landing and per switch: the server's script (first to last websocket message of the
run), the bytes sent over the websocket, and the browser's drawing after the last message.
Prints medians and the ratio landing(app) ÷ landing(trivial page). ``--publish`` writes the
``browser`` section of results.json and README.md; ``--before`` adds the figures of an earlier
run of this benchmark (its ``--json`` output, e.g. on the commit before a change) beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src"), str(ROOT / "benchmarks")]

from fixtures.streamlit_server import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
QUIET_S = 0.3
SWITCH_TO = ["地区对比", "趋势", "办理结果", "复议诉讼", "数据质量", "总览"]

TRIVIAL = textwrap.dedent('''
    import plotly.graph_objects as go
    import streamlit as st

    st.title("试验页")
    st.plotly_chart(go.Figure(go.Bar(x=["甲", "乙", "丙"], y=[3, 1, 2])))
''')

# True once the script run has finished, every chart container holds a drawn Plotly figure and
# Streamlit shows no running state. Without the run's own state a page switch could count as drawn
# before its charts had even arrived: Streamlit shows its running sign only after a delay.
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    if (status && status.innerText.trim()) return false;
    return document.querySelector('h1') !== null;
}"""


def _wait_drawn(page, timeout_s: float = 120.0) -> float:
    """Seconds on the monotonic clock when the page was first drawn and then stayed so for QUIET_S."""
    deadline = time.monotonic() + timeout_s
    drawn_at = None
    while time.monotonic() < deadline:
        if page.evaluate(DRAWN):
            drawn_at = drawn_at or time.monotonic()
            if time.monotonic() - drawn_at >= QUIET_S:
                return drawn_at
        else:
            drawn_at = None
        page.wait_for_timeout(25)
    raise TimeoutError("page never settled")


class Wire:
    """Websocket frames the page receives: count, bytes, first and last arrival."""

    def __init__(self, page):
        self.frames: list[tuple[float, int]] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        size = len(payload) if isinstance(payload, (bytes, str)) else 0
        self.frames.append((time.monotonic(), size))

    def since(self, t0: float) -> list[tuple[float, int]]:
        return [f for f in self.frames if f[0] >= t0]


def _landing(browser, url: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = ctx.new_page()
    wire = Wire(page)
    t0 = time.monotonic()
    page.goto(url)
    done = _wait_drawn(page)
    frames = wire.since(t0)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    ctx.close()
    last = max((t for t, _ in frames), default=done)
    first = min((t for t, _ in frames), default=t0)
    return {"total": done - t0, "before_first_message": first - t0, "script_messages": last - first,
            "drawing_after_last": max(0.0, done - last), "bytes": sum(s for _, s in frames), "charts": charts}


def _switches(browser, url: str) -> dict[str, dict]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = ctx.new_page()
    wire = Wire(page)
    page.goto(url)
    _wait_drawn(page)
    out = {}
    for label in SWITCH_TO:
        link = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a', has_text=label).first
        t0 = time.monotonic()
        link.click()
        page.wait_for_function(f"() => document.querySelector('h1') && document.querySelector('h1').innerText.includes({json.dumps(label)})",
                               timeout=120_000)
        done = _wait_drawn(page)
        frames = wire.since(t0)
        last = max((t for t, _ in frames), default=done)
        first = min((t for t, _ in frames), default=t0)
        out[label] = {"total": done - t0, "script_messages": last - first, "drawing_after_last": max(0.0, done - last),
                      "bytes": sum(n for _, n in frames),
                      "charts": page.locator('[data-testid="stPlotlyChart"]').count(),
                      "tables": page.locator('[data-testid="stDataFrame"]').count()}
    ctx.close()
    return out


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "var" / "warehouse.duckdb")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--publish", action="store_true", help="write the browser section of results.json and README.md")
    ap.add_argument("--before", type=Path, help="--json output of an earlier run, shown beside this one")
    ap.add_argument("--label", help="what this run measured (a commit, a change), kept with its figures")
    args = ap.parse_args(argv)
    if not args.db.exists():
        print(f"没有数据仓库 {args.db}：先运行 analytics setup", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    started, load_start = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL, encoding="utf-8")
        with serve(args.db, Path(tmp) / "up") as app_url, serve(args.db, Path(tmp) / "up2", script=trivial) as plain_url, \
                sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            _landing(browser, app_url), _landing(browser, plain_url)  # servers and browser warm
            app, plain = [], []
            for _ in range(args.rounds):  # interleaved, so the machine's load falls on both alike
                app.append(_landing(browser, app_url))
                plain.append(_landing(browser, plain_url))
            switches = [_switches(browser, app_url) for _ in range(max(1, args.rounds // 2))]
            browser.close()

    result = {
        "landing_app_s": _median(app, "total"), "landing_trivial_s": _median(plain, "total"),
        "app_breakdown_s": {k: _median(app, k) for k in ("before_first_message", "script_messages", "drawing_after_last")},
        "trivial_breakdown_s": {k: _median(plain, k) for k in ("before_first_message", "script_messages", "drawing_after_last")},
        "app_bytes": _median(app, "bytes"), "trivial_bytes": _median(plain, "bytes"),
        "app_charts": app[0]["charts"],
        "switch_s": {label: statistics.median(s[label]["total"] for s in switches) for label in SWITCH_TO},
        "switch_breakdown_s": {label: {k: statistics.median(s[label][k] for s in switches)
                                       for k in ("script_messages", "drawing_after_last")} for label in SWITCH_TO},
        "switch_bytes": {label: statistics.median(s[label]["bytes"] for s in switches) for label in SWITCH_TO},
        "switch_elements": {label: {k: switches[0][label][k] for k in ("charts", "tables")} for label in SWITCH_TO},
    }
    result["ratio"] = result["landing_app_s"] / result["landing_trivial_s"]
    # Each round's pair was measured back to back: its ratio shows how far the load moved the median.
    result["round_ratios"] = [round(a["total"] / b["total"], 2) for a, b in zip(app, plain)]
    result.update(at=started, label=args.label, rounds=args.rounds, warehouse=args.db.name, load_average_start=load_start,
                  load_average_end=os.getloadavg())
    print(f"landing: app {result['landing_app_s']:.2f} s, trivial page {result['landing_trivial_s']:.2f} s, "
          f"ratio {result['ratio']:.2f} (median of {args.rounds}, {result['app_charts']} charts)")
    for name in ("app", "trivial"):
        b = result[f"{name}_breakdown_s"]
        print(f"  {name}: before the first message {b['before_first_message']:.2f} s, "
              f"script (first→last message) {b['script_messages']:.2f} s, drawing after the last "
              f"{b['drawing_after_last']:.2f} s, {result[f'{name}_bytes'] / 1024:.0f} KB over the websocket")
    print("page switch (click → drawn): " + ", ".join(f"{k} {v:.2f} s" for k, v in result["switch_s"].items()))
    for label in SWITCH_TO:
        b, e = result["switch_breakdown_s"][label], result["switch_elements"][label]
        print(f"  {label}: script {b['script_messages']:.2f} s, drawing after the last message "
              f"{b['drawing_after_last']:.2f} s, {result['switch_bytes'][label] / 1024:.0f} KB, "
              f"{e['charts']} charts, {e['tables']} tables")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.publish:
        from common import publish

        if args.before:
            result["before"] = json.loads(args.before.read_text(encoding="utf-8"))
        publish("browser", _rounded(result))
    return 0


def _rounded(value):
    """Seconds to the hundredth for the README; bytes and counts as they are."""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


if __name__ == "__main__":
    raise SystemExit(main())
