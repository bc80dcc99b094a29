"""Shared helpers of the benchmark scripts: timing, percentiles, the machine they ran on."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


def timed2(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds of this process over all its threads).

    On a shared machine wall time grows with other people's load; CPU time does not, and for a
    single-threaded step it is what the wall time would be on an idle machine.
    """
    w, c = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - w, time.process_time() - c


def pct(values: list[float], q: float) -> float:
    """Percentile by linear interpolation (q in 0..100)."""
    v = sorted(values)
    if len(v) == 1:
        return v[0]
    k = (len(v) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary_ms(values: list[float], cpu: list[float] | None = None) -> dict:
    ms = [1000 * x for x in values]
    out = {"p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
           "mean_ms": round(statistics.fmean(ms), 2), "n": len(ms)}
    if cpu:
        c = [1000 * x for x in cpu]
        out.update(cpu_p50_ms=round(pct(c, 50), 2), cpu_p95_ms=round(pct(c, 95), 2))
    return out


def existing_db(path) -> str:
    """An absolute path to an existing warehouse (connect_read would create a missing one)."""
    p = Path(path).resolve()
    if not p.exists():
        raise SystemExit(f"no warehouse at {p}")
    return str(p)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM) in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for mod in ("duckdb", "pandas", "numpy", "pyarrow", "streamlit"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing library just goes unreported
            versions[mod] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb,
            "python": platform.python_version(), "os": platform.platform(), "versions": versions,
            "load_average_at_start": os.getloadavg()}


def publish(section: str, value: dict) -> None:
    """Merge one section into results.json and rewrite README.md from it (as run_all.py does)."""
    import json

    from report import write_readme

    results = ROOT / "benchmarks" / "results.json"
    merged = json.loads(results.read_text()) if results.exists() else {}
    merged[section] = value
    results.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n")
    write_readme(merged)
