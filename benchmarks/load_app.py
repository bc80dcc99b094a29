"""Load test: many browser sessions through every page while an ingest and reviewers write.

    python benchmarks/load_app.py [--sessions 20] [--minutes 3] [--db WAREHOUSE]

Starts a real ``streamlit run app.py`` on a copy of the warehouse (the bundled one from
``analytics setup`` unless --db says otherwise), opens ``--sessions`` headless Chromium sessions
that visit every page in turn, and meanwhile runs ``analytics ingest`` of new small batches,
reviewers' ``findings confirm`` / ``dismiss`` and ``analytics correct`` in loops. Prints, per page, the number of visits
and the p50 / p95 time from navigation to a settled page, every error box seen (there should be
none), and the writers' counts and latencies. Exit status 1 when any error box was seen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from fixtures.streamlit_server import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PAGES = ["overview", "compare", "trends", "outcomes", "review", "active", "quality", "report", "upload"]
ANALYTICS = str(Path(sys.executable).with_name("analytics"))
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'


async def _settled(page, timeout: float = 120.0) -> None:
    await page.wait_for_selector(f'h1, {ERROR_BOXES}', timeout=timeout * 1000)
    quiet, deadline = 0, time.monotonic() + timeout
    while quiet < 3 and time.monotonic() < deadline:
        await page.wait_for_timeout(200)
        busy = await page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count()
        quiet = quiet + 1 if busy == 0 else 0


async def _session(browser, url: str, stop: float, times: dict, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = await ctx.new_page()
    order = PAGES[:]
    try:
        while time.monotonic() < stop:
            rng.shuffle(order)
            for name in order:
                if time.monotonic() >= stop:
                    break
                t0 = time.monotonic()
                try:
                    await page.goto(f"{url}/{name}", wait_until="domcontentloaded", timeout=120000)
                    await _settled(page)
                except Exception as exc:  # a page that never settles counts as an error
                    errors.append((name, f"timeout: {type(exc).__name__}"))
                    continue
                times.setdefault(name, []).append(time.monotonic() - t0)
                boxes = page.locator(ERROR_BOXES)
                for i in range(await boxes.count()):
                    errors.append((name, (await boxes.nth(i).inner_text())[:300]))
    finally:
        await ctx.close()


async def _browse(url: str, sessions: int, seconds: float) -> tuple[dict, list]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {}
    errors: list = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        stop = time.monotonic() + seconds
        await asyncio.gather(*(_session(browser, url, stop, times, errors, i) for i in range(sessions)))
        await browser.close()
    return times, errors


def _new_batch(folder: Path, serial: int, n: int = 5) -> Path:
    from fixtures.report_text import ReportText

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rt = ReportText(title=f"负载测试第{serial}批{i + 1}号县人民政府2021年政府信息公开工作年度报告")
        rt.t3["new_received"][0] += serial + i
        rt.t3["new_received"][6] += serial + i
        rt.t3["total_processed"][0] += serial + i
        rt.t3["total_processed"][6] += serial + i
        rt.t3["granted"][0] += serial + i
        rt.t3["granted"][6] += serial + i
        (folder / f"batch{serial:03d}_{i}.txt").write_text(rt.text(), encoding="utf-8")
    return folder


def _writers(db: Path, work: Path, stop: float, log: dict) -> list[threading.Thread]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    def ingest_loop():
        serial = 0
        while time.monotonic() < stop:
            serial += 1
            batch = _new_batch(work / f"batch{serial}", serial)
            t0 = time.monotonic()
            run = subprocess.run([ANALYTICS, "ingest", str(batch), "--db", str(db), "--quiet"],
                                 capture_output=True, text=True, env=env)
            log.setdefault("ingest", []).append((time.monotonic() - t0, run.returncode))

    def decide_loop(reviewer: int):
        rng = random.Random(reviewer)
        listed = subprocess.run([ANALYTICS, "findings", "--db", str(db), "--limit", "200"],
                                capture_output=True, text=True, env=env)
        # Each reviewer works on its own findings and alternates confirm and dismiss on each, so
        # that every step is one the review workflow allows (confirming twice is refused).
        fingerprints = [line.split("\t")[0] for line in listed.stdout.splitlines() if "\t" in line][reviewer::2]
        last: dict[str, str] = {}
        while time.monotonic() < stop and fingerprints:
            fp = rng.choice(fingerprints)
            action = "dismiss" if last.get(fp) == "confirm" else "confirm"
            t0 = time.monotonic()
            run = subprocess.run([ANALYTICS, "findings", action, fp, "--db", str(db), "--by", f"审核员{reviewer}",
                                  "--note", f"负载测试审核员{reviewer}"], capture_output=True, text=True, env=env)
            if run.returncode == 0:
                last[fp] = action
            log.setdefault("decide", []).append((time.monotonic() - t0, run.returncode))
            time.sleep(rng.uniform(1, 3))

    def correct_loop():
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            reports = [r[0] for r in con.execute(
                "SELECT report_id FROM reports ORDER BY report_id LIMIT 50").fetchall()]
        finally:
            con.close()
        rng = random.Random(7)
        while time.monotonic() < stop and reports:
            rid = rng.choice(reports)
            t0 = time.monotonic()
            run = subprocess.run([ANALYTICS, "correct", str(rid), "表三", "new_received:total",
                                  str(rng.randint(0, 500)), "--reason", "负载测试更正", "--by", "审核员更正",
                                  "--db", str(db)], capture_output=True, text=True, env=env)
            log.setdefault("correct", []).append((time.monotonic() - t0, run.returncode))
            time.sleep(rng.uniform(3, 6))

    threads = [threading.Thread(target=ingest_loop, daemon=True), threading.Thread(target=correct_loop, daemon=True)]
    threads += [threading.Thread(target=decide_loop, args=(r,), daemon=True) for r in range(2)]
    for t in threads:
        t.start()
    return threads


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--db", type=Path, default=ROOT / "var" / "warehouse.duckdb")
    args = ap.parse_args(argv)
    if not args.db.exists():
        subprocess.run([ANALYTICS, "setup"], check=True, cwd=ROOT)
    work = Path(tempfile.mkdtemp(prefix="load-app-"))
    db = work / "warehouse.duckdb"
    shutil.copy(args.db, db)
    seconds = args.minutes * 60
    with serve(db, work / "uploads") as url:
        stop = time.monotonic() + seconds
        log: dict = {}
        threads = _writers(db, work, stop, log)
        times, errors = asyncio.run(_browse(url, args.sessions, seconds))
        for t in threads:
            t.join(120)
    print(f"{args.sessions} sessions for {args.minutes:g} min, warehouse {args.db}")
    print(f"{'page':10} {'visits':>6} {'p50 s':>7} {'p95 s':>7}")
    every = []
    for name in PAGES:
        ts = times.get(name, [])
        every += ts
        if ts:
            print(f"{name:10} {len(ts):6d} {statistics.median(ts):7.2f} {_pct(ts, 0.95):7.2f}")
    if every:
        print(f"{'all':10} {len(every):6d} {statistics.median(every):7.2f} {_pct(every, 0.95):7.2f}")
    for kind, rows in log.items():
        ok = sum(1 for _, rc in rows if rc == 0)
        lat = [t for t, _ in rows]
        print(f"{kind}: {len(rows)} runs, {ok} exit 0, p50 {statistics.median(lat):.2f} s, "
              f"p95 {_pct(lat, 0.95):.2f} s")
    print(f"error boxes: {len(errors)}")
    for name, text in errors[:20]:
        print(f"  {name}: {text}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
