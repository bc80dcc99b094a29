"""The heavy aggregations behind the comparison and trend pages, in DuckDB and in pandas, on the
same data in the same run. pandas starts from ``report_metrics`` already in memory (the time to
load it is reported apart), so the ratio compares the aggregations alone.

    .venv/bin/python benchmarks/bench_pandas.py benchmarks/out/synth-1.0.duckdb
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from common import existing_db, summary_ms, timed, timed2

RATES = ["substantive_disclosure_rate", "denial_rate", "unable_rate", "review_correction_rate",
         "litigation_correction_rate", "dispute_rate", "completion_rate", "legal_person_share"]
OUTCOME = ["a_new_received", "a_carried_over", "a_granted", "a_partially_granted", "denied",
           "unable", "refused", "other_handled", "a_total_processed", "a_carried_forward",
           "rv_total", "rv_corrected", "ld_total", "ld_corrected", "la_total", "la_corrected"]


def _num_den(keys):
    return [c for k in keys for c in (f"{k}_num", f"{k}_den")]


SQL = {
    # Every agency, every rate over all years (the comparison table).
    "per_agency_rates": f"""
        SELECT agency_id, any_value(level) AS level, any_value(kind) AS kind, count(*) AS n,
               {", ".join(f"sum({k}_num) / nullif(sum({k}_den), 0) AS {k}" for k in RATES)}
        FROM report_metrics GROUP BY agency_id""",
    # One rate per agency with its peer group's median and quartiles (peer ranking).
    "peer_statistics": """
        WITH a AS (SELECT agency_id, any_value(level) AS level, any_value(kind) AS kind,
                          sum(substantive_disclosure_rate_num)
                              / nullif(sum(substantive_disclosure_rate_den), 0) AS v
                   FROM report_metrics GROUP BY agency_id)
        SELECT agency_id, v, median(v) OVER w AS p50, quantile_cont(v, 0.25) OVER w AS p25,
               quantile_cont(v, 0.75) OVER w AS p75
        FROM a WHERE v IS NOT NULL WINDOW w AS (PARTITION BY level, kind)""",
    # Outcome sums per province and year (the region trend).
    "province_year_sums": f"""
        SELECT province, year, count(*) AS n, {", ".join(f"sum({c}) AS {c}" for c in OUTCOME)}
        FROM report_wide WHERE is_current GROUP BY province, year""",
    # Per-level quantiles of a rate across agencies (box plots).
    "level_quantiles": """
        WITH a AS (SELECT agency_id, any_value(level) AS level,
                          sum(denial_rate_num) / nullif(sum(denial_rate_den), 0) AS v
                   FROM report_metrics GROUP BY agency_id)
        SELECT level, count(v) AS n, quantile_cont(v, 0.1) AS p10, quantile_cont(v, 0.25) AS p25,
               median(v) AS p50, quantile_cont(v, 0.75) AS p75, quantile_cont(v, 0.9) AS p90
        FROM a WHERE v IS NOT NULL GROUP BY level""",
}


def pandas_per_agency_rates(m: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    g = m.groupby("agency_id", sort=False)
    s = g[_num_den(RATES)].sum()
    out = g[["level", "kind"]].first()
    out["n"] = g.size()
    for k in RATES:
        den = s[f"{k}_den"]
        out[k] = s[f"{k}_num"] / den.where(den != 0)
    return out


def pandas_peer_statistics(m: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    g = m.groupby("agency_id", sort=False)
    a = g[["level", "kind"]].first()
    s = g[["substantive_disclosure_rate_num", "substantive_disclosure_rate_den"]].sum()
    den = s.substantive_disclosure_rate_den
    a["v"] = s.substantive_disclosure_rate_num / den.where(den != 0)
    a = a.dropna(subset=["v"])
    peers = a.groupby(["level", "kind"]).v
    a["p50"] = peers.transform("median")
    a["p25"] = peers.transform(lambda x: x.quantile(0.25))
    a["p75"] = peers.transform(lambda x: x.quantile(0.75))
    return a


def pandas_province_year_sums(m: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    cur = w[w.is_current]
    g = cur.groupby(["province", "year"], sort=False)
    out = g[OUTCOME].sum(min_count=1)
    out["n"] = g.size()
    return out


def pandas_level_quantiles(m: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    g = m.groupby("agency_id", sort=False)
    a = g[["level"]].first()
    s = g[["denial_rate_num", "denial_rate_den"]].sum()
    a["v"] = s.denial_rate_num / s.denial_rate_den.where(s.denial_rate_den != 0)
    a = a.dropna(subset=["v"])
    q = a.groupby("level").v.quantile([0.1, 0.25, 0.5, 0.75, 0.9]).unstack()
    q["n"] = a.groupby("level").size()
    return q


PANDAS = {
    "per_agency_rates": pandas_per_agency_rates,
    "peer_statistics": pandas_peer_statistics,
    "province_year_sums": pandas_province_year_sums,
    "level_quantiles": pandas_level_quantiles,
}


def _same(name: str, d: pd.DataFrame, p: pd.DataFrame) -> bool:
    """Both engines give the same answer (checked once, so the ratio compares equal work)."""
    if name == "per_agency_rates":
        d = d.set_index("agency_id").reindex(p.index)
        return np.allclose(d[RATES].to_numpy(float), p[RATES].to_numpy(float), equal_nan=True)
    if name == "peer_statistics":
        d = d.set_index("agency_id").reindex(p.index)
        return np.allclose(d[["v", "p50", "p25", "p75"]].to_numpy(float),
                           p[["v", "p50", "p25", "p75"]].to_numpy(float), equal_nan=True)
    if name == "province_year_sums":
        d = d.set_index(["province", "year"]).reindex(p.index)
        return np.allclose(d[OUTCOME].to_numpy(float), p[OUTCOME].to_numpy(float), equal_nan=True)
    d = d.set_index("level").reindex(p.index)
    return np.allclose(d[["p10", "p50", "p90"]].to_numpy(float),
                       p[[0.1, 0.5, 0.9]].to_numpy(float), equal_nan=True)


def run(db_path: str, repeats: int = 5) -> dict:
    from analytics.warehouse import connect_read

    con = connect_read(existing_db(db_path))
    m_cols = ["agency_id", "level", "kind", "province", "year"] + _num_den(RATES)
    m, t_m = timed(lambda: con.execute(f"SELECT {', '.join(m_cols)} FROM report_metrics").df())
    w_cols = ["is_current", "province", "year"] + OUTCOME
    w, t_w = timed(lambda: con.execute(f"SELECT {', '.join(w_cols)} FROM report_wide").df())
    for frame in (m, w):
        for c in ("agency_id", "level", "kind", "province"):
            if c in frame:
                frame[c] = frame[c].astype("category") if c != "agency_id" else frame[c]
    out = {"load_report_metrics_s": round(t_m, 2), "load_report_wide_s": round(t_w, 2),
           "rows_metrics": len(m), "rows_wide": len(w), "aggregations": {}}
    for name, sql in SQL.items():
        d, _ = timed(lambda: con.execute(sql).df())
        p, _ = timed(PANDAS[name], m, w)
        same = _same(name, d, p)
        t_duck = [timed2(lambda: con.execute(sql).df()) for _ in range(repeats)]
        t_pd = [timed2(PANDAS[name], m, w) for _ in range(repeats)]
        sd = summary_ms([x[1] for x in t_duck], [x[2] for x in t_duck])
        sp = summary_ms([x[1] for x in t_pd], [x[2] for x in t_pd])
        out["aggregations"][name] = {
            "duckdb": sd, "pandas": sp, "same_answer": bool(same),
            "ratio_pandas_over_duckdb": round(sp["p50_ms"] / sd["p50_ms"], 1),
            "cpu_ratio_pandas_over_duckdb": round(sp["cpu_p50_ms"] / sd["cpu_p50_ms"], 1)}
        print(f"{name:20s} duckdb {sd['p50_ms']:8.1f} ms (cpu {sd['cpu_p50_ms']:.1f})  pandas "
              f"{sp['p50_ms']:8.1f} ms (cpu {sp['cpu_p50_ms']:.1f})  "
              f"x {sp['p50_ms'] / sd['p50_ms']:.1f}  same={same}", flush=True)
    con.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False, indent=1))
