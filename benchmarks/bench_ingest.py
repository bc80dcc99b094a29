"""Document ingest throughput per format, with 1 and 2 workers: the `analytics ingest` command
itself, run as a fresh process on documents of the demo generator.

Each (format, workers) pair loads its files into a fresh warehouse file, so a figure covers the
whole command: interpreter start and imports, starting the workers, hashing, parsing, loading
cells, the refresh of report_wide and findings, the ingest log and the atomic publish.

Wall time is what a user waits for; on this shared machine it grows with other people's load.
CPU time is summed over the command and every process it started (workers, the fork server),
sampled from /proc while they run, so a process's last ~50 ms before it exits may be missed.

A whole-command rate mixes the start-up cost (interpreter, imports, schema, the refresh at the
end) with the throughput. So text and HTML also run on a larger corpus (three demo corpora of
different seeds, generated once under benchmarks/out/ingest-corpus): the same command on the
first N1 files and on N2 > N1 files of one fixed shuffled list. The marginal rate
(N2 − N1) / (t2 − t1) is the throughput once started; t1 − N1 / marginal is the start-up cost.

    .venv/bin/python benchmarks/bench_ingest.py [--scale 0.8] [--max-files 400] [--steady-files 1200] [--src DIR]

``--src`` runs the command from another source tree (e.g. an export of an older commit), for
before/after figures on the same documents.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import OUT, ROOT

EXT = {"text": (".txt", ".md"), "html": (".html", ".htm"), "docx": (".docx",), "pdf": (".pdf",)}
TICK = os.sysconf("SC_CLK_TCK")
STEADY_FORMATS = ("text", "html")
STEADY_SEEDS = (2025, 2026, 2027)  # the generator caps its scale at 1; more seeds give more files


def corpus(scale: float) -> Path:
    """The demo corpus at ``scale`` under benchmarks/out (generated once, then reused)."""
    from analytics.demo import write_corpus

    root = OUT / f"demo-{scale}"
    if not (root / "manifest.csv").exists():
        write_corpus(root, scale=scale, workers=2)
    return root


def steady_corpus() -> list[Path]:
    """Demo corpora at scale 1 with different seeds (generated once, then reused)."""
    from analytics.demo import write_corpus

    roots = []
    for seed in STEADY_SEEDS:
        root = OUT / "ingest-corpus" / f"seed-{seed}"
        if not (root / "manifest.csv").exists():
            write_corpus(root, seed=seed, scale=1.0, workers=2)
        roots.append(root)
    return roots


def manifest_rows(roots: list[Path]) -> list[dict]:
    """The manifest rows of these corpora, their paths made absolute."""
    rows = []
    for root in roots:
        for r in csv.DictReader(open(root / "manifest.csv", encoding="utf-8")):
            rows.append({**r, "path": str((root / r["path"]).resolve())})
    return rows


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds of the process itself) for every live process."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                f = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out[int(d)] = (int(f[1]), (int(f[11]) + int(f[12])) / TICK)
    return out


class TreeCPU:
    """CPU seconds of a process and all its descendants, sampled while they run."""

    def __init__(self, root: int, every: float = 0.05):
        self.root, self.every, self.last = root, every, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self):
        table = _proc_table()
        kids: dict[int, list[int]] = {}
        for pid, (ppid, _) in table.items():
            kids.setdefault(ppid, []).append(pid)
        todo = [self.root]
        while todo:
            pid = todo.pop()
            if pid in table:
                self.last[pid] = table[pid][1]
            todo.extend(kids.get(pid, []))

    def stop(self) -> tuple[float, int]:
        self._stop.set()
        self._thread.join()
        return sum(self.last.values()), len(self.last)


def _load_average():
    return [round(x, 2) for x in os.getloadavg()]


def measure(files: list[str], rows: list[dict], workers: int, src: str | None = None) -> dict:
    work = OUT / "ingest-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "w.duckdb"
    listing = work / "files.csv"
    # The files go in through a manifest of just these paths (a command line of 400 paths works
    # too, but this keeps the command the same for every size).
    wanted = {str(Path(f).resolve()) for f in files}
    with open(listing, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            if r["path"] in wanted:
                w.writerow(r)
    env = dict(os.environ, ANALYTICS_DB=str(db))
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    cmd = [sys.executable, "-m", "analytics.cli", "ingest", "--manifest", str(listing), "--db", str(db),
           "--workers", str(workers), "--dataset", "demo", "--quiet"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree = TreeCPU(proc.pid)
    out, err = proc.communicate()
    dt = time.perf_counter() - t
    cpu, n_proc = tree.stop()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {err.strip()[-500:]}")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    loaded = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    refused = con.execute("SELECT count(*) FROM ingest_log WHERE status = 'refused'").fetchone()[0]
    con.close()
    shutil.rmtree(work, ignore_errors=True)
    return {"workers": workers, "files": len(files), "loaded": loaded, "refused": refused,
            "seconds": round(dt, 2), "cpu_seconds": round(cpu, 2), "processes": n_proc,
            "cpu_ms_per_report": round(1000 * cpu / max(loaded, 1), 1),
            "reports_per_s": round(loaded / dt, 1) if dt else None}


def _line(label: str, x: dict) -> str:
    return (f"{label}: {x['loaded']}/{x['files']} loaded in {x['seconds']:6.2f} s "
            f"= {x['reports_per_s']:6.1f} reports/s (CPU {x['cpu_seconds']:.2f} s over "
            f"{x['processes']} processes, {x['cpu_ms_per_report']} ms/report)")


def steady(fmt: str, rows: list[dict], n1: int, n2: int, workers: int, src: str | None) -> dict | None:
    """The command on the first n1 and on n2 files of one shuffled list: whole-command and
    marginal rates, and the start-up cost the two runs imply."""
    files = [r["path"] for r in rows if r["path"].endswith(EXT[fmt])]
    random.Random(0).shuffle(files)  # every year and agency kind in both runs, the same for each code version
    n2 = min(n2, len(files))
    if n2 <= n1:
        return None
    small = measure(files[:n1], rows, workers, src)
    large = measure(files[:n2], rows, workers, src)
    dn, dt = large["loaded"] - small["loaded"], large["seconds"] - small["seconds"]
    marginal = dn / dt if dt > 0 else None
    out = {"format": fmt, "workers": workers, "n1": small, "n2": large,
           "marginal_reports_per_s": round(marginal, 1) if marginal else None,
           "marginal_cpu_ms_per_report": round(1000 * (large["cpu_seconds"] - small["cpu_seconds"]) / dn, 1) if dn else None,
           "startup_seconds": round(small["seconds"] - small["loaded"] / marginal, 2) if marginal else None}
    print(_line(f"{fmt:5s} workers {workers} N1", small), flush=True)
    print(_line(f"{fmt:5s} workers {workers} N2", large), flush=True)
    print(f"{fmt:5s} workers {workers}: whole command {small['reports_per_s']} (N1={small['loaded']}) and "
          f"{large['reports_per_s']} (N2={large['loaded']}) reports/s; marginal {out['marginal_reports_per_s']} "
          f"reports/s ({out['marginal_cpu_ms_per_report']} CPU ms/report); start-up ≈ {out['startup_seconds']} s",
          flush=True)
    return out


def run(scale: float = 0.8, max_files: int = 400, workers=(1, 2), formats=tuple(EXT), src: str | None = None,
        steady_files: int = 1200) -> dict:
    root = corpus(scale)
    rows = manifest_rows([root])
    out = {"corpus_scale": scale, "max_files": max_files, "command": "analytics ingest (fresh process)",
           "load_average": _load_average(), "formats": {}, "ratio_2_to_1": {}}
    for fmt in formats:
        files = [r["path"] for r in rows if r["path"].endswith(EXT[fmt])][:max_files]
        if not files:
            continue
        for n in workers:
            x = {"format": fmt, **measure(files, rows, n, src)}
            out["formats"][f"{fmt}|{n}"] = x
            print(_line(f"{fmt:5s} workers {n}", x), flush=True)
        one, two = out["formats"].get(f"{fmt}|1"), out["formats"].get(f"{fmt}|2")
        if one and two and one["reports_per_s"]:
            out["ratio_2_to_1"][fmt] = round(two["reports_per_s"] / one["reports_per_s"], 2)
            print(f"{fmt:5s} 2 workers / 1 worker: {out['ratio_2_to_1'][fmt]}", flush=True)
    wanted = [f for f in formats if f in STEADY_FORMATS]
    if steady_files > max_files and wanted:
        big = manifest_rows(steady_corpus())
        out["steady"] = {"corpus": f"demo scale 1.0, seeds {', '.join(map(str, STEADY_SEEDS))}",
                         "n1": max_files, "n2": steady_files, "runs": {}}
        for fmt in wanted:
            for n in workers:
                x = steady(fmt, big, max_files, steady_files, n, src)
                if x:
                    out["steady"]["runs"][f"{fmt}|{n}"] = x
    out["load_average_after"] = _load_average()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.8)
    ap.add_argument("--max-files", type=int, default=400)
    ap.add_argument("--steady-files", type=int, default=1200,
                    help="N2 of the steady-state runs (text and HTML); 0 leaves them out")
    ap.add_argument("--formats", nargs="*", default=list(EXT), choices=list(EXT))
    ap.add_argument("--src", help="run `analytics ingest` from this source folder (holding the analytics package)")
    ap.add_argument("--json", help="also write the result to this file")
    a = ap.parse_args()
    result = run(a.scale, a.max_files, formats=a.formats, src=a.src, steady_files=a.steady_files)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
