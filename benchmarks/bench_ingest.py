"""Document ingest throughput per format, with 1 and 2 workers, through the warehouse's own ingest
(parse, load, refresh, publish) on documents of the demo generator.

Each (format, workers) pair loads its files into a fresh warehouse file, so the times include the
whole ingest: hashing, parsing, loading cells, the refresh of report_wide and findings, and the
atomic publish of the file.

    .venv/bin/python benchmarks/bench_ingest.py [--scale 0.6] [--max-files 300]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import time
from pathlib import Path

from common import OUT

EXT = {"text": (".txt", ".md"), "html": (".html", ".htm"), "docx": (".docx",), "pdf": (".pdf",)}


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def corpus(scale: float) -> Path:
    """The demo corpus at ``scale`` under benchmarks/out (generated once, then reused)."""
    from analytics.demo import write_corpus

    root = OUT / f"demo-{scale}"
    if not (root / "manifest.csv").exists():
        write_corpus(root, scale=scale)
    return root


def run(scale: float = 0.3, max_files: int = 300, workers=(1, 2)) -> dict:
    from analytics.warehouse.ingest import ingest

    root = corpus(scale)
    rows = list(csv.DictReader(open(root / "manifest.csv", encoding="utf-8")))
    out = {"corpus_scale": scale, "formats": {}}
    work = OUT / "ingest-bench"
    for fmt, exts in EXT.items():
        files = [str(root / r["path"]) for r in rows if r["path"].endswith(exts)][:max_files]
        if not files:
            continue
        for n in workers:
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            db = work / "w.duckdb"
            t, c0 = time.perf_counter(), _cpu()
            summary = ingest(files, db=str(db), manifest=str(root / "manifest.csv"), workers=n,
                             dataset="demo", progress=False)
            dt, cpu = time.perf_counter() - t, _cpu() - c0
            loaded = summary.count("loaded") + summary.count("loaded_with_warnings")
            key = f"{fmt}|{n}"
            out["formats"][key] = {"format": fmt, "workers": n, "files": len(files),
                                   "loaded": loaded, "refused": len(summary.refused),
                                   "seconds": round(dt, 2), "cpu_seconds": round(cpu, 2),
                                   "reports_per_s": round(loaded / dt, 1) if dt else None}
            print(f"{fmt:5s} workers {n}: {loaded}/{len(files)} loaded in {dt:6.2f} s "
                  f"= {loaded / dt:6.1f} reports/s (cpu {cpu:.1f} s)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.3)
    ap.add_argument("--max-files", type=int, default=300)
    a = ap.parse_args()
    print(json.dumps(run(a.scale, a.max_files), ensure_ascii=False, indent=1))
