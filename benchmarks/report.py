"""benchmarks/README.md from results.json: the machine, every measured figure, each target."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
NOTES = Path(__file__).resolve().parent / "notes.md"


def _ok(passed: bool | None) -> str:
    return "—" if passed is None else ("met" if passed else "**missed**")


def write_readme(r: dict) -> None:
    t = r.get("targets", {})
    m = r.get("machine", {})
    lines = ["# Benchmarks", "",
             "Produced by `benchmarks/run_all.py` (numbers below are copied from `results.json`"
             " of the last run; nothing here is typed by hand).", "",
             "## Machine", "",
             f"- CPU: {m.get('cpu')}, {m.get('cores')} cores; memory {m.get('memory_gb')} GB",
             f"- Python {m.get('python')}; "
             + ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items()),
             f"- Load average when the run started: {m.get('load_average_at_start')} "
             "(the machine is shared; see each section's own load average)", ""]

    ld = r.get("load")
    if ld:
        c = ld["counts"]
        lines += ["## Loading the synthetic population", "",
                  "| scale | agencies | reports | cells | findings | wall time | CPU time | file |"
                  " peak memory |",
                  "|---|---|---|---|---|---|---|---|---|",
                  f"| {ld['scale']} | {c['agencies']:,} | {c['reports']:,} | {c['cells']:,} | "
                  f"{c['findings']:,} | {ld['seconds']} s | {ld.get('cpu_seconds', '—')} s | "
                  f"{ld['file_mb']} MB | {ld['peak_rss_mb']} MB |", "",
                  (f"Load average during the run: {ld.get('load_average')}." if ld.get("load_average")
                   else f"Figures from the log of a synth run under `/usr/bin/time -v`"
                   f" (`benchmarks/out/{ld.get('from_log')}`); the CPU time is the cost of the work"
                   " itself, the wall time depends on the machine's load."), ""]

    q = r.get("queries")
    if q:
        rows = list(q["queries"].values())
        lim = t.get("query_warm_p50_ms", 1e9)
        worst = max(x["p50_ms"] for x in rows)
        lines += ["## Page queries (CATALOGUE)", "",
                  f"Warehouse `{q.get('db')}`; target: warm p50 under {t.get('query_warm_p50_ms')} ms"
                  f" — {_ok(worst < t.get('query_warm_p50_ms', 1e9))} (worst {worst:.0f} ms). "
                  f"Load average: {q.get('load_average')}.", "",
                  "Queries under the target, per scenario (wall p50 / CPU p50): "
                  + "; ".join(
                      f"{sc} {sum(1 for x in rows if x['scenario'] == sc and x['p50_ms'] < lim)}"
                      f" / {sum(1 for x in rows if x['scenario'] == sc and x.get('cpu_p50_ms', 1e9) < lim)}"
                      f" of {sum(1 for x in rows if x['scenario'] == sc)}"
                      for sc in dict.fromkeys(x["scenario"] for x in rows)) + ".", "",
                  "CPU = CPU time of the process over all its threads (DuckDB uses 2), which other"
                  " people's load does not inflate. The first four scenarios are over all years;"
                  " `country_years` (the whole country over its last five years, 2021–2025) is"
                  " measured as well and held to the same target: the per-agency queries read each"
                  " agency's sums from its first chosen year on (agency_since); a range that ends"
                  " before an agency's last report still sums its reports of those years.", "",
                  "| query | scenario | rows | cold ms | warm p50 ms | warm p95 ms | warm CPU p50 ms |",
                  "|---|---|---|---|---|---|---|"]
        for x in rows:
            flag = " ⚠" if x["p50_ms"] >= lim else ""
            lines.append(f"| {x['query']} | {x['scenario']} | {x['rows']} | {x['cold_ms']} | "
                         f"{x['p50_ms']}{flag} | {x['p95_ms']} | {x.get('cpu_p50_ms', '')} |")
        lines.append("")

    p = r.get("pages")
    if p:
        pages = p["pages"].values()
        worst = max(x["warm_s"] for x in pages)
        worst_cold = max(x["cold_s"] for x in pages)
        start = p.get("app_start")
        lines += ["## Page scripts (streamlit AppTest)", "",
                  f"Target: every page script under {t.get('page_script_s')} s — "
                  f"{_ok(max(worst, worst_cold) < t.get('page_script_s', 1e9))} (worst warm {worst:.2f} s,"
                  f" worst cold {worst_cold:.2f} s). "
                  f"App peak memory {p.get('peak_rss_mb')} MB (target {t.get('app_memory_mb')} MB: "
                  f"{_ok(p.get('peak_rss_mb', 0) < t.get('app_memory_mb', 1e9))}). "
                  f"Load average: {p.get('load_average')}.", "",
                  (f"App start (the first run of a page in a new process: imports, streamlit's own start-up,"
                   f" opening the warehouse) {start['seconds']} s ({start['cpu_seconds']} s CPU), paid once"
                   " per server. " if start else "")
                  + "Cold = the page's first run with st.cache_data emptied (no cached query result; the"
                  " warehouse connection stays open, as on a running server after new data); warm = the"
                  " same page again.",
                  "", "| page | scenario | cold s | warm s | cold CPU s | warm CPU s | errors |",
                  "|---|---|---|---|---|---|---|"]
        for x in pages:
            lines.append(f"| {x['page']} | {x['scenario']} | {x['cold_s']} | {x['warm_s']} | "
                         f"{x.get('cold_cpu_s', '')} | {x.get('warm_cpu_s', '')} | "
                         f"{'; '.join(x['errors'])[:120] if x['errors'] else ''} |")
        lines.append("")

    pd_ = r.get("pandas")
    if pd_ and "duckdb_base" in next(iter(pd_["aggregations"].values()), {}):
        aggs = pd_["aggregations"]
        target = t.get("duckdb_over_pandas", 10)
        heavy = [x for x in aggs.values() if x.get("heavy")]
        met = all(x["ratio_pandas_over_duckdb"] >= target for x in heavy)
        lines += ["## DuckDB against pandas", "",
                  "The comparison page's and the data-quality page's work for the whole country over all"
                  " years (see `bench_pandas.py`), on the same data: "
                  f"{pd_['rows']['metrics']:,} report_metrics rows, {pd_['rows']['wide']:,} report keys,"
                  f" {pd_['rows']['findings']:,} findings; and, as refresh work, the"
                  f" {pd_['rows']['cells']:,} applications cells of the largest province ({pd_['province']}). "
                  f"Target ≥ {target}× on the heavy aggregations (the first five) — {_ok(met)}."
                  f" Load average: {pd_.get('load_average')}.", "",
                  "- **DuckDB, the app**: the dashboard's own query function on the warehouse file, warm"
                  " connection, with the summary tables the refresh maintains (agency_total, peer_stats,"
                  " peer_ecdf, metric_ecdf, findings_placed, region_year).",
                  "- **DuckDB, base tables**: the same functions with those tables switched off, computing"
                  " from report_metrics, report_wide and findings as pandas does (the engine alone).",
                  "- **pandas in memory**: the same answer from report-level frames already loaded (the"
                  " most favourable case for pandas). Reading the frames from Parquet took "
                  + ", ".join(f"{k} {v} s" for k, v in pd_["read_parquet_s"].items()) + ".",
                  "- **pandas from Parquet**: reading the columns it needs from Parquet (written once"
                  " by DuckDB from the same warehouse) plus the computation, every time.", "",
                  "Every answer was checked equal (rows, order and values) before timing. Ratios are"
                  " pandas ÷ DuckDB from the p50 wall times (CPU times in brackets).", "",
                  "| aggregation | DuckDB app ms (CPU) | DuckDB base ms (CPU) | pandas in memory ms (CPU)"
                  " | pandas from Parquet ms | pandas ÷ app | pandas ÷ base | Parquet ÷ app | same answer |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, x in aggs.items():
            d, b, m, q = x["duckdb"], x["duckdb_base"], x["pandas"], x["pandas_parquet"]
            label = name if x.get("heavy") else f"{name} ({'light' if name != 'cells_pivot' else 'refresh'})"
            lines.append(f"| {label} | {d['p50_ms']} ({d.get('cpu_p50_ms')}) | {b['p50_ms']} ({b.get('cpu_p50_ms')})"
                         f" | {m['p50_ms']} ({m.get('cpu_p50_ms')}) | {q['p50_ms']} | "
                         f"{x['ratio_pandas_over_duckdb']}× ({x['cpu_ratio_pandas_over_duckdb']}×) | "
                         f"{x['ratio_pandas_over_duckdb_base']}× ({x['cpu_ratio_pandas_over_duckdb_base']}×) | "
                         f"{x['ratio_parquet_over_duckdb']}× | {x['same_answer']} |")
        lines.append("")

    ing = r.get("ingest")
    if ing:
        target = t.get("ingest_text_html_per_s_2_workers")
        steady = (ing.get("steady") or {}).get("runs", {})

        def rate(f):  # throughput: the steady-state rate where measured, else the whole command's
            x = steady.get(f + "|2")
            return x["marginal_reports_per_s"] if x else ing["formats"][f + "|2"]["reports_per_s"]
        lines += ["## Document ingest", "",
                  f"Target: text and HTML ≥ {target} reports/s with 2 workers (throughput: the"
                  " steady-state rate below) — "
                  + ", ".join(f"{f} {_ok(rate(f) >= target)} ({rate(f)}/s)"
                              for f in ("text", "html") if f + "|2" in ing["formats"] and target)
                  + f". Load average: {ing.get('load_average')} at the start,"
                  f" {ing.get('load_average_after', '—')} at the end.", ""]
        if steady:
            sd = ing["steady"]
            lines += [f"Steady state: the same command on {sd['n1']} and on {sd['n2']} documents"
                      f" ({sd.get('corpus')}); the marginal rate (n2 − n1) ÷ (t2 − t1) is the"
                      " throughput once the command runs, the start-up (interpreter, imports, workers,"
                      " a fresh warehouse, the final refresh) is what the line through both runs leaves"
                      " at zero documents.", "",
                      f"| format | workers | {sd['n1']} files: s | reports/s | {sd['n2']} files: s | reports/s"
                      " | marginal reports/s | CPU ms/report (marginal) | start-up s |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for x in steady.values():
                lines.append(f"| {x['format']} | {x['workers']} | {x['n1']['seconds']} | "
                             f"{x['n1']['reports_per_s']} | {x['n2']['seconds']} | {x['n2']['reports_per_s']} | "
                             f"{x['marginal_reports_per_s']} | {x.get('marginal_cpu_ms_per_report', '')} | "
                             f"{x.get('startup_seconds', '')} |")
            lines.append("")
        lines += [f"Whole command, demo corpus at scale {ing['corpus_scale']} (up to"
                  f" {ing.get('max_files', '—')} files per format), {ing.get('command', 'the warehouse ingest')}"
                  " into a fresh file.", "",
                  "CPU = CPU time of the command and every process it started (workers, fork server).", "",
                  "| format | workers | files | loaded | seconds | reports/s | CPU s | CPU ms/report |",
                  "|---|---|---|---|---|---|---|---|"]
        for x in ing["formats"].values():
            lines.append(f"| {x['format']} | {x['workers']} | {x['files']} | {x['loaded']} | "
                         f"{x['seconds']} | {x['reports_per_s']} | {x.get('cpu_seconds', '')} | "
                         f"{x.get('cpu_ms_per_report', '')} |")
        if ing.get("ratio_2_to_1"):
            lines += ["", "2 workers ÷ 1 worker (reports/s): "
                      + ", ".join(f"{k} {v}" for k, v in ing["ratio_2_to_1"].items()) + "."]
        if ing.get("repeats_text_html"):
            lines += ["", "Repeated runs of text and HTML (reports/s, 1 → 2 workers; load average): "
                      + "; ".join(f"text {x['text|1']['reports_per_s']} → {x['text|2']['reports_per_s']}, html "
                                  f"{x['html|1']['reports_per_s']} → {x['html|2']['reports_per_s']} "
                                  f"({x['load_average'][0]})" for x in ing["repeats_text_html"]) + "."]
        before = ing.get("before")
        if before:
            lines += ["", f"Before ({before.get('label')}), same command and documents. Load average:"
                      f" {before.get('load_average')}.", "",
                      "| format | workers | seconds | reports/s | CPU s | CPU ms/report |", "|---|---|---|---|---|---|"]
            for x in before["formats"].values():
                lines.append(f"| {x['format']} | {x['workers']} | {x['seconds']} | {x['reports_per_s']} | "
                             f"{x.get('cpu_seconds', '')} | {x.get('cpu_ms_per_report', '')} |")
            if before.get("ratio_2_to_1"):
                lines += ["", "2 workers ÷ 1 worker before: "
                          + ", ".join(f"{k} {v}" for k, v in before["ratio_2_to_1"].items()) + "."]
        lines.append("")

    lines += _cluster_lines(r.get("cluster")) + _writer_lines(r.get("writer")) + _browser_lines(r.get("browser"))
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    README.write_text("\n".join(lines), encoding="utf-8")


def _cluster_lines(c: dict | None) -> list[str]:
    """The collector against the local mirror; ingest on a Dask cluster beside the process pool."""
    if not c:
        return []
    col = c["collect"]
    lines = ["## Collector and cluster ingest (`cluster_speed.py`)", "",
             f"Run {c.get('at', '')}, {c.get('cpus')} cores; load average {c.get('load_average_start')} at the start,"
             f" {c.get('load_average_end')} at the end.", "",
             f"**Collector** against the local mirror (`tests/fixtures/mirror_site.py`, both columns, no delay"
             f" between requests): best of {len(col['runs'])} runs {col['requests_per_s']} requests/s and"
             f" {col['saved_per_s']} reports saved/s, each download judged by content in a supervised parser"
             f" (runs: " + ", ".join(f"{x['requests']} requests, {x['saved']} saved in {x['seconds']} s"
                                     for x in col["runs"]) + f"; load {col.get('load_average')}).", "",
             "**Ingest**, the same batch into a fresh warehouse per mode: the process pool (`--workers 1`, `2`) and"
             " a local Dask cluster of 1 and 2 worker processes (started before the clock; its start-up apart),"
             " its first batch and the same batch again on the running cluster (warm)."
             " `documents`: files of the demo corpus (text, HTML, DOCX, PDF); `ocr`: image-only PDFs of the"
             " real reports' pages. Ratio = files/s ÷ the one-worker pool's.", "",
             "| batch | mode | files | loaded | refused | seconds | files/s | ratio | cluster start s | load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for batch, x in c["ingest"].items():
        for mode, m in x["modes"].items():
            lines.append(f"| {batch} | {mode} | {m['files']} | {m['loaded']} | {m['refused']} | {m['seconds']} |"
                         f" {m['files_per_s']} | {x['ratio_to_pool_1'][mode]} | {m.get('cluster_start_seconds', '')}"
                         f" | {m['load_average'][0]} |")
    lines += ["", "Cluster of 2 ÷ pool of 2 (files/s), first batch and warm: "
              + ", ".join(f"{b} {x['cluster_2_to_pool_2']} and {x.get('cluster_2_warm_to_pool_2', '—')}"
                          for b, x in c["ingest"].items()) + ".", ""]
    return lines


def _writer_lines(w: dict | None) -> list[str]:
    """The one writer's cost per batch of parsed reports, on an empty and on a synthetic warehouse."""
    if not w:
        return []
    lines = ["## The writer alone (`writer_speed.py`)", "",
             f"Run {w.get('at', '')}: {w.get('docs')} demo documents parsed first (not timed), then loaded in one"
             f" write session into an empty warehouse and into a synthetic one of scale {w.get('synth_scale')}.",
             "", "| warehouse | reports | copy s | inserts s | inserts reports/s | refresh s | publish s | total s"
             " | file MB | load |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name in ("empty", "synth"):
        x = w.get(name)
        if x:
            lines.append(f"| {name} | {x['reports']} | {x['open_copy']} | {x['insert']} | {x['reports_per_s_insert']}"
                         f" | {x['refresh']} | {x['publish']} | {x['total']} | {x['file_mb']} | {x['load_average'][0]} |")
    lines.append("")
    return lines


def _browser_lines(b: dict | None) -> list[str]:
    """A new session's landing page and page switches in headless Chromium, against a trivial page."""
    if not b:
        return []
    lines = ["## In a browser (`browser_speed.py`)", "",
             f"Run {b.get('at', '')} on `{b.get('warehouse')}`, headless Chromium at 1280×800, median of"
             f" {b.get('rounds')} rounds; load average {b.get('load_average_start')} at the start,"
             f" {b.get('load_average_end')} at the end. **Landing**: a new browser context opens the app until"
             " its script run has finished and every chart is drawn (and stays so for 0.3 s); the **trivial page** (a title and one small Plotly"
             " chart, the same Plotly script to load) is measured in the same rounds, so the ratio is what"
             " counts on a shared machine. Script = first to last websocket message of the run; drawing = after"
             " the last message until drawn.", "",
             "| run | landing s | trivial s | ratio | before the first message s | script s | drawing s | KB |"
             " charts | ratios of the rounds |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, x in (("before", b.get("before")), ("now", b)):
        if not x:
            continue
        a, t = x["app_breakdown_s"], x["trivial_breakdown_s"]
        lines.append(f"| {name} | {x['landing_app_s']:.2f} | {x['landing_trivial_s']:.2f} | {x['ratio']:.2f} |"
                     f" {a['before_first_message']:.2f} (trivial {t['before_first_message']:.2f}) |"
                     f" {a['script_messages']:.2f} ({t['script_messages']:.2f}) |"
                     f" {a['drawing_after_last']:.2f} ({t['drawing_after_last']:.2f}) |"
                     f" {x['app_bytes'] / 1024:.0f} ({x['trivial_bytes'] / 1024:.0f}) | {x['app_charts']} |"
                     f" {', '.join(str(v) for v in x.get('round_ratios', [])) or '—'} |")
    if b.get("before"):
        x = b["before"]
        lines += ["", f"Before: run {x.get('at', '—')} (load average {x.get('load_average_start', '—')} at the"
                  f" start){' — ' + x['label'] if x.get('label') else ''}."]
    lines += ["", "Page switch (a click on the sidebar's link until the page is drawn), seconds:", "",
              "| page | " + " | ".join(b["switch_s"]) + " |", "|---|" + "---|" * len(b["switch_s"])]
    for name, x in (("before", b.get("before")), ("now", b)):
        if x:
            lines.append(f"| {name} | " + " | ".join(f"{x['switch_s'].get(k, float('nan')):.2f}" for k in b["switch_s"]) + " |")
    if b.get("switch_breakdown_s"):
        lines.append("| now: script / drawing | " + " | ".join(
            f"{v['script_messages']:.2f} / {v['drawing_after_last']:.2f}" for v in b["switch_breakdown_s"].values()) + " |")
        lines.append("| now: charts / tables | " + " | ".join(
            f"{v['charts']} / {v['tables']}" for v in b["switch_elements"].values()) + " |")
    lines.append("")
    return lines
