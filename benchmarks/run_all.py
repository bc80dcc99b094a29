"""Run every benchmark in one go and write benchmarks/results.json and benchmarks/README.md.

    .venv/bin/python benchmarks/run_all.py --scale 1.0            # the national-scale run
    .venv/bin/python benchmarks/run_all.py --scale 1.0 --reuse    # keep an existing warehouse
    .venv/bin/python benchmarks/run_all.py --only queries pandas  # some sections; others are kept

Large files go to benchmarks/out/ (not versioned). Sections: load, queries, pandas, pages, ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import OUT, ROOT, machine

RESULTS = ROOT / "benchmarks" / "results.json"
PY = sys.executable
SECTIONS = ["load", "queries", "pandas", "pages", "ingest"]

TARGETS = {
    "query_warm_p50_ms": 100,
    "page_script_s": 1.5,
    "duckdb_over_pandas": 10,
    "app_memory_mb": 2048,
    "ingest_text_html_per_s_2_workers": 100,
}


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def load(db: Path, scale: float, seed: int) -> dict:
    for p in (db, Path(f"{db}.wal")):
        if p.exists():
            p.unlink()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t = time.perf_counter()
    proc = subprocess.run([PY, "-m", "analytics.cli", "synth", "--db", str(db), "--scale",
                           str(scale), "--seed", str(seed), "--quiet"],
                          capture_output=True, text=True, env=_env(), check=True)
    dt = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    counts = {t_: con.execute(f"SELECT count(*) FROM {t_}").fetchall()[0][0]
              for t_ in ("agencies", "reports", "cells", "report_wide", "findings")}
    con.close()
    return {"scale": scale, "seed": seed, "seconds": round(dt, 1), "cpu_seconds": round(cpu, 1),
            "file_mb": round(db.stat().st_size / 2**20, 1),
            "peak_rss_mb": round(max(peak, before) / 1024, 1), "counts": counts,
            "output": proc.stdout.strip()}


def load_from_log(db: Path, log: Path, scale: float, seed: int) -> dict:
    """The load figures of a synth run started by hand under ``/usr/bin/time -v`` (its log)."""
    import re

    import duckdb

    text = log.read_text(encoding="utf-8")
    secs = float(re.search(r"用时 ([0-9.]+)s", text).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    con = duckdb.connect(str(db), read_only=True)
    counts = {t_: con.execute(f"SELECT count(*) FROM {t_}").fetchall()[0][0]
              for t_ in ("agencies", "reports", "cells", "report_wide", "findings")}
    con.close()
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([0-9.]+)", text).group(1))
              for k in ("User", "System"))
    return {"scale": scale, "seed": seed, "seconds": secs, "cpu_seconds": round(cpu, 1),
            "file_mb": round(db.stat().st_size / 2**20, 1), "peak_rss_mb": round(rss_kb / 1024, 1),
            "counts": counts, "output": text.strip().splitlines()[-1], "from_log": log.name}


def pages(db: Path, province: str | None) -> dict:
    args = [PY, str(ROOT / "benchmarks" / "bench_pages.py"), str(db)] + ([province] if province else [])
    proc = subprocess.run(args, capture_output=True, text=True, env=_env(), cwd=ROOT / "benchmarks")
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"page benchmark failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reuse", action="store_true", help="keep the warehouse file if it exists")
    ap.add_argument("--only", nargs="*", choices=SECTIONS)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--load-log", help="take the load figures from this synth log instead")
    ap.add_argument("--ingest-scale", type=float, default=0.8)
    a = ap.parse_args(argv)
    sections = a.only or SECTIONS
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"synth-{a.scale}.duckdb"
    results: dict = {"machine": machine(), "targets": TARGETS}
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def save():
        """Merge this run's sections into results.json (another run may have written others)."""
        merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        merged.update(results)
        RESULTS.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n")
        from report import write_readme

        write_readme(merged)

    if "load" in sections and a.load_log:
        results["load"] = {**load_from_log(db, Path(a.load_log), a.scale, a.seed), "at": stamp}
        save()
    elif "load" in sections and not (a.reuse and db.exists()):
        print(f"== load: synth --scale {a.scale}", flush=True)
        results["load"] = {**load(db, a.scale, a.seed), "at": stamp, "load_average": os.getloadavg()}
        print(results["load"], flush=True)
        save()
    if "queries" in sections:
        import bench_queries

        print("== queries", flush=True)
        r = bench_queries.run(str(db), repeats=a.repeats)
        results["queries"] = {**r, "db": db.name, "at": stamp, "load_average": os.getloadavg()}
        save()
    if "pandas" in sections:
        import bench_pandas

        print("== pandas", flush=True)
        results["pandas"] = {**bench_pandas.run(str(db)), "db": db.name, "at": stamp,
                             "load_average": os.getloadavg()}
        save()
    if "pages" in sections:
        print("== pages", flush=True)
        known = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        prov = ((results.get("queries") or known.get("queries") or {}).get("scenarios", {})
                .get("province", {}).get("filters", {}).get("province"))
        if prov is None:
            import bench_queries
            from analytics.warehouse import connect_read

            con = connect_read(str(db))
            prov = bench_queries.scenarios(con)["province"]["filters"]["province"]
            con.close()
        results["pages"] = {**pages(db, prov), "db": db.name, "at": stamp,
                            "load_average": os.getloadavg()}
        save()
    if "ingest" in sections:
        import bench_ingest

        print("== ingest", flush=True)
        results["ingest"] = {**bench_ingest.run(a.ingest_scale), "at": stamp,
                             "load_average": os.getloadavg()}
        save()
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
