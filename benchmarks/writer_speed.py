"""The one writer's own cost: what a batch of already-parsed reports costs to load, refresh and
publish, on an empty warehouse and on a synthetic one of ``--scale`` (0.1 ≈ 100,000 reports).

    PYTHONPATH=src:tests python benchmarks/writer_speed.py [--docs 150] [--scale 0.1]

The reports are parsed first (not timed), as a cluster hands them to the writer; then, in one
write session: the inserts of the rows (``load_prepared`` in chunks, ``add_wide_rows``), the
refresh of the batch's agencies (rules, summary tables), and the session's copy of the file and
atomic publish (``store.write_session``). Writes ``benchmarks/out/writer_speed.json`` and the ``writer`` section of results.json (and README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from common import OUT, ROOT, publish
from cluster_speed import docs_batch


def prepared_batch(folder: Path) -> list:
    from analytics.warehouse.ingest import collect, prepare_one

    out = []
    for f in collect([folder]):
        path, prepared, _ = prepare_one((str(f), None, None, "real"))
        if prepared is not None:
            out.append(prepared)
    return out


def write_batch(db: Path, prepared: list) -> dict:
    from analytics.warehouse.loader import add_wide_rows, load_prepared
    from analytics.warehouse.refresh import refresh
    from analytics.warehouse.schema import ensure_schema
    from analytics.warehouse.sqlfiles import read
    from analytics.warehouse.store import write_session

    t0 = time.perf_counter()
    marks = {}
    with write_session(db) as con:
        marks["open_copy"] = time.perf_counter() - t0
        ensure_schema(con)
        batch = con.execute(read("load/next_batch")).fetchall()[0][0]
        t = time.perf_counter()
        ids, touched = [], set()
        for i in range(0, len(prepared), 100):
            outcomes, agencies = load_prepared(con, prepared[i:i + 100], batch_id=batch, wide_rows=False)
            ids += [o.report_id for o in outcomes if o.report_id is not None]
            touched |= agencies
        add_wide_rows(con, ids)
        marks["insert"] = time.perf_counter() - t
        t = time.perf_counter()
        refresh(con, touched)
        marks["refresh"] = time.perf_counter() - t
        t = time.perf_counter()
    marks["publish"] = time.perf_counter() - t
    marks["total"] = time.perf_counter() - t0
    out = {k: round(v, 2) for k, v in marks.items()}
    out["reports"] = len(ids)
    out["reports_per_s_insert"] = round(len(ids) / marks["insert"], 1) if marks["insert"] else None
    out["file_mb"] = round(db.stat().st_size / 1048576, 1)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--scale", type=float, default=0.1)
    args = ap.parse_args()
    from analytics.synth import generate

    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        prepared = prepared_batch(docs_batch(args.docs, tmp / "docs"))
        result["empty"] = write_batch(tmp / "empty.duckdb", prepared)
        print("empty", result["empty"], flush=True)
        synth = OUT / f"synth-{args.scale}.duckdb"
        if not synth.exists():
            t = time.perf_counter()
            generate(str(synth), args.scale, seed=1, with_cells=True, log=lambda *a: None)
            result["synth_build_seconds"] = round(time.perf_counter() - t, 1)
        db = tmp / "synth.duckdb"
        shutil.copy(synth, db)
        result["synth_scale"] = args.scale
        result["synth"] = write_batch(db, prepared)
        print("synth", result["synth"], flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "writer_speed.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    result["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result["docs"] = args.docs
    publish("writer", result)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
