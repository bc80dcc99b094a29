"""Each dashboard page's script time under streamlit's AppTest, and the app's peak memory.

Runs in its own process (so its peak resident memory is the app's). First the app is started
(the first run pays the imports and streamlit's own start-up; reported apart as app_start), then
every page runs once with st.cache_data emptied (cold: no cached query result, the open warehouse
connection kept, as on a running server after new data) and again (warm, st.cache_data hits), with
the default filters (the whole country, all years) and with one province chosen through the URL
parameters.

    .venv/bin/python benchmarks/bench_pages.py benchmarks/out/synth-1.0.duckdb
"""

from __future__ import annotations

import json
import os
import sys
import time

from common import ROOT, existing_db, peak_rss_mb

PAGES = ["overview", "compare", "trends", "outcomes", "review", "active", "quality", "report",
         "upload"]


def _page_run(at, page: str, query: dict, timeout: float) -> tuple[float, list[str]]:
    at.query_params.clear()
    at.query_params.update(query)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    t, c = time.perf_counter(), time.process_time()
    at.run(timeout=timeout)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    errors = [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]
    return dt, dc, errors


def run(db_path: str, province: str | None = None, timeout: float = 120.0) -> dict:
    os.environ["ANALYTICS_DB"] = existing_db(db_path)
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    import streamlit as st

    scenarios = {"country": {}}
    if province:
        scenarios["province"] = {"province": province}
    out = {"pages": {}}
    # What a server pays once when it starts (imports, streamlit's scan of installed components,
    # opening the warehouse), measured apart: the page times below are those of a running app.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    start, start_cpu, errors = _page_run(at, "upload", {}, timeout)
    out["app_start"] = {"seconds": round(start, 3), "cpu_seconds": round(start_cpu, 3), "errors": errors}
    print(f"app start (first run of the upload page) {start:6.2f} s (cpu {start_cpu:5.2f})", flush=True)
    for sname, query in scenarios.items():
        for page in PAGES:
            st.cache_data.clear()  # cold: no query result of any earlier page is reused
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            cold, cold_cpu, errors = _page_run(at, page, query, timeout)
            warm, warm_cpu, errors2 = _page_run(at, page, query, timeout)
            out["pages"][f"{page}|{sname}"] = {
                "page": page, "scenario": sname, "cold_s": round(cold, 3), "warm_s": round(warm, 3),
                "cold_cpu_s": round(cold_cpu, 3), "warm_cpu_s": round(warm_cpu, 3),
                "errors": errors or errors2}
            print(f"{page:10s} {sname:9s} cold {cold:6.2f} s (cpu {cold_cpu:5.2f})  "
                  f"warm {warm:6.2f} s (cpu {warm_cpu:5.2f})  "
                  f"{'ERR ' + '; '.join(errors or errors2) if (errors or errors2) else ''}",
                  flush=True)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


if __name__ == "__main__":
    res = run(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    print("RESULT " + json.dumps(res, ensure_ascii=False))
