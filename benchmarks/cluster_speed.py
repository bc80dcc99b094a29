"""Collector pages per second against the local mirror, and ingest throughput on a Dask cluster
of 1 and 2 workers beside the plain process pool of 1 and 2 workers, OCR-heavy batches included.

    PYTHONPATH=src:tests python benchmarks/cluster_speed.py [--docs 120] [--scans 3] [--rounds 3]

* **collect**: ``collect`` of the two columns of ``tests/fixtures/mirror_site.py`` (a loopback
  server; no delay between requests, the default being 1 s a host) into a fresh folder, ``rounds``
  times: requests per second, and documents saved per second (each one judged by content in a
  supervised parser, the collector's own cost beside the network's).
* **ingest**: the same batch into a fresh warehouse per mode: ``--workers 1`` and ``2`` (the
  supervised process pool) and a local Dask cluster (a scheduler and 1 or 2 worker processes,
  started before the clock: its start-up is printed apart, as a cluster is started once for many
  batches), its first batch (cold: each worker starts its fork server and parser) and the same
  batch again (warm). Two batches: ``docs`` text/HTML/DOCX/PDF files of the demo corpus, and ``scans``
  image-only PDFs of the real reports' pages (OCR: seconds a page). Ratios are reports per second
  over those of the one-worker pool.

Writes ``benchmarks/out/cluster_speed.json`` and the ``cluster`` section of results.json (and README.md). The machine is shared: the load average is printed
with each figure.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from common import OUT, ROOT, publish


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def bench_collect(rounds: int) -> dict:
    from analytics.collect.fetch import Fetcher
    from analytics.collect.run import collect
    from fixtures.mirror_site import MirrorServer

    runs = []
    with MirrorServer() as site:
        columns = [f"{site.base}/ptzx/zfxxgknb/index.html", f"{site.base}/hzq/zfxxgknb/list.html?page=1"]
        for _ in range(rounds):
            out = Path(tempfile.mkdtemp(prefix="collect-bench-"))
            fetcher = Fetcher(out / ".collect", delay=0.0, timeout=5, retries=2, backoff=0.01)
            t = time.perf_counter()
            outcome = collect(columns, out, fetcher=fetcher)
            wall = time.perf_counter() - t
            runs.append({"seconds": round(wall, 3), "requests": fetcher.stats.requests,
                         "saved": len(outcome.saved)})
            fetcher.close()
            shutil.rmtree(out)
    best = min(runs, key=lambda r: r["seconds"])
    return {"runs": runs, "requests_per_s": round(best["requests"] / best["seconds"], 1),
            "saved_per_s": round(best["saved"] / best["seconds"], 1), "load_average": _load()}


def docs_batch(n: int, folder: Path) -> Path:
    """``n`` documents of the demo corpus (every format, a fixed shuffle) copied to ``folder``."""
    from analytics.demo import write_corpus

    corpus = OUT / "demo-0.3"
    if not (corpus / "manifest.csv").exists():
        write_corpus(corpus, scale=0.3, workers=2)
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
    random.Random(7).shuffle(files)
    folder.mkdir(parents=True)
    for i, p in enumerate(files[:n]):
        shutil.copy(p, folder / f"{i:04d}_{p.name}")
    return folder


def scans_batch(n: int, folder: Path) -> Path:
    """``n`` scanned pages (150 dpi, JPEG) of the real PDF reports: OCR work."""
    from fixtures.corpus import documents
    from fixtures.ocr_images import scanned_pdf

    folder.mkdir(parents=True)
    pdfs = documents(".pdf")
    for i in range(n):
        pdf = pdfs[i % len(pdfs)]
        (folder / f"scan_{i}.pdf").write_bytes(scanned_pdf(pdf, 150, pages=(1 + i // len(pdfs),), jpeg=85))
    return folder


def run_ingest(folder: Path, *, workers: int, cluster: str | None) -> dict:
    from analytics.warehouse.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        t, c = time.perf_counter(), time.process_time()
        summary = ingest([folder], db=Path(tmp) / "w.duckdb", workers=workers, cluster=cluster, progress=False)
        wall = time.perf_counter() - t
    files = len(summary.results)
    return {"files": files, "loaded": summary.count("loaded") + summary.count("loaded_with_warnings"),
            "refused": len(summary.refused), "seconds": round(wall, 2),
            "client_cpu_seconds": round(time.process_time() - c, 2),
            "files_per_s": round(files / wall, 2), "load_average": _load()}


def bench_ingest(batches: dict[str, Path]) -> dict:
    import dask
    from distributed import Client, LocalCluster

    out: dict = {}
    for name, folder in batches.items():
        rows = {}
        for workers in (1, 2):
            rows[f"pool {workers}"] = run_ingest(folder, workers=workers, cluster=None)
            print(name, f"pool {workers}", rows[f"pool {workers}"], flush=True)
        for workers in (1, 2):
            dask.config.set({"distributed.worker.daemon": False})
            t = time.perf_counter()
            local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                 dashboard_address=None, silence_logs=logging.CRITICAL)
            Client(local).wait_for_workers(workers)
            start = time.perf_counter() - t
            try:
                # The first batch starts each worker's fork server and parser; a running cluster
                # serves every later batch warm, so the same batch runs again.
                row = run_ingest(folder, workers=workers, cluster=local.scheduler_address)
                row["cluster_start_seconds"] = round(start, 2)
                warm = run_ingest(folder, workers=workers, cluster=local.scheduler_address)
            finally:
                local.close()
            rows[f"cluster {workers}"] = row
            rows[f"cluster {workers} warm"] = warm
            print(name, f"cluster {workers}", row, "warm", warm, flush=True)
        base = rows["pool 1"]["files_per_s"]
        out[name] = {"modes": rows, "ratio_to_pool_1": {k: round(v["files_per_s"] / base, 2) for k, v in rows.items()},
                     "cluster_2_to_pool_2": round(rows["cluster 2"]["files_per_s"] / rows["pool 2"]["files_per_s"], 2),
                     "cluster_2_warm_to_pool_2": round(rows["cluster 2 warm"]["files_per_s"]
                                                       / rows["pool 2"]["files_per_s"], 2)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=120)
    ap.add_argument("--scans", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    result = {"cpus": os.cpu_count(), "load_average_start": _load()}
    result["collect"] = bench_collect(args.rounds)
    print("collect", result["collect"], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        batches = {"documents": docs_batch(args.docs, Path(tmp) / "docs"),
                   "ocr": scans_batch(args.scans, Path(tmp) / "scans")}
        result["ingest"] = bench_ingest(batches)
    result["load_average_end"] = _load()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cluster_speed.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    result["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result["args"] = vars(args)
    publish("cluster", result)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
