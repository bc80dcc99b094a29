"""The app's heavy aggregations in DuckDB and in pandas, on the same data in the same run.

Four pieces of work the warehouse and the pages really do:

- ``cells_pivot``: the long ``cells`` table of one province (its applications table) pivoted to one
  row per report, the 总计 column of every row and the new applications by applicant type — what
  the refresh does for the reports it touches;
- ``peer_mad``: one rate per agency over all years, then per peer group (level × kind) its median,
  MAD, 10th and 90th percentiles — the outlier view;
- ``agency_table``: every agency with every rate of the comparison table and, beside each, the
  pooled rate of its peer group — the comparison table;
- ``province_year_sums``: outcome sums per province and year (the region trend).

Each engine starts from its natural storage, and two ratios are reported:

- **in memory**: pandas aggregates frames already in memory (loading them is not counted) against
  DuckDB answering from the warehouse file on a warm connection — the most favourable case for
  pandas;
- **from Parquet**: pandas reads the columns it needs from Parquet files (written once by DuckDB
  from the same warehouse) and then aggregates, against the same DuckDB query — what an app built
  on pandas + Parquet would pay per question.

Every pair is checked to give the same answer before it is timed.

    .venv/bin/python benchmarks/bench_pandas.py benchmarks/out/synth-1.0.duckdb
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from common import OUT, existing_db, summary_ms, timed, timed2

RATES = ["substantive_disclosure_rate", "denial_rate", "unable_rate", "review_correction_rate",
         "litigation_correction_rate", "dispute_rate", "completion_rate", "legal_person_share"]
OUTCOME = ["a_new_received", "a_carried_over", "a_granted", "a_partially_granted", "denied",
           "unable", "refused", "other_handled", "a_total_processed", "a_carried_forward",
           "rv_total", "rv_corrected", "ld_total", "ld_corrected", "la_total", "la_corrected"]
APPLICANT_COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org"]


def _num_den(keys):
    return [c for k in keys for c in (f"{k}_num", f"{k}_den")]


def _app_rows() -> list[str]:
    from analytics import fields

    return list(fields.APPLICATION_ROWS)


def sql_for(province: str) -> dict[str, str]:
    rows = _app_rows()
    pivot_cols = ",\n               ".join(
        [f"max(value) FILTER (WHERE row_key = '{k}' AND col_key = 'total') AS \"a_{k}\"" for k in rows]
        + [f"max(value) FILTER (WHERE row_key = 'new_received' AND col_key = '{c}') AS \"nr_{c}\""
           for c in APPLICANT_COLS])
    rates = ", ".join(f"sum({k}_num) / nullif(sum({k}_den), 0) AS {k}" for k in RATES)
    sums = ", ".join(f"sum({k}_num) AS {k}_num, sum({k}_den) AS {k}_den" for k in RATES)
    group_rates = ", ".join(f"sum({k}_num) / nullif(sum({k}_den), 0) AS {k}_group" for k in RATES)
    own = ", ".join(f"s.{k}_num / nullif(s.{k}_den, 0) AS {k}" for k in RATES)
    prov = province.replace("'", "''")
    return {
        "cells_pivot": f"""
            SELECT report_id, {pivot_cols}
            FROM cells
            WHERE tbl = 'applications'
              AND report_id IN (SELECT report_id FROM report_wide WHERE province = '{prov}')
            GROUP BY report_id""",
        "peer_mad": f"""
            WITH a AS (SELECT agency_id, any_value(level) AS level, any_value(kind) AS kind, {rates}
                       FROM report_metrics GROUP BY agency_id)
            SELECT level, kind, count(denial_rate) AS n, median(denial_rate) AS p50,
                   mad(denial_rate) AS mad, quantile_cont(denial_rate, 0.1) AS p10,
                   quantile_cont(denial_rate, 0.9) AS p90
            FROM a WHERE denial_rate IS NOT NULL GROUP BY level, kind""",
        "agency_table": f"""
            WITH s AS (SELECT agency_id, any_value(level) AS level, any_value(kind) AS kind,
                              count(*) AS n, {sums}
                       FROM report_metrics GROUP BY agency_id),
            g AS (SELECT level, kind, {group_rates} FROM s GROUP BY level, kind)
            SELECT s.agency_id, s.level, s.kind, s.n, {own}, g.* EXCLUDE (level, kind)
            FROM s JOIN g ON g.level IS NOT DISTINCT FROM s.level AND g.kind IS NOT DISTINCT FROM s.kind""",
        "province_year_sums": f"""
            SELECT province, year, count(*) AS n, {", ".join(f"sum({c}) AS {c}" for c in OUTCOME)}
            FROM report_wide WHERE is_current GROUP BY province, year""",
    }


# ------------------------------------------------------------------ pandas


def pandas_cells_pivot(f: dict) -> pd.DataFrame:
    c = f["cells"]
    tot = c[c.col_key == "total"].pivot_table(index="report_id", columns="row_key", values="value",
                                              aggfunc="max", observed=True)
    tot.columns = [f"a_{k}" for k in tot.columns]
    nr = c[(c.row_key == "new_received") & (c.col_key != "total")].pivot_table(
        index="report_id", columns="col_key", values="value", aggfunc="max", observed=True)
    nr.columns = [f"nr_{k}" for k in nr.columns]
    return tot.join(nr, how="outer")


def _agency_sums(m: pd.DataFrame) -> pd.DataFrame:
    g = m.groupby("agency_id", sort=False, observed=True)
    out = g[["level", "kind"]].first()
    out["n"] = g.size()
    return out.join(g[_num_den(RATES)].sum())


def pandas_peer_mad(f: dict) -> pd.DataFrame:
    a = _agency_sums(f["metrics"])
    den = a["denial_rate_den"]
    a["v"] = a["denial_rate_num"] / den.where(den != 0)
    a = a.dropna(subset=["v"])
    peers = a.groupby(["level", "kind"], observed=True).v
    out = pd.DataFrame({"n": peers.size(), "p50": peers.median(),
                        "p10": peers.quantile(0.1), "p90": peers.quantile(0.9)})
    dev = (a["v"] - peers.transform("median")).abs()
    out["mad"] = dev.groupby([a["level"], a["kind"]], observed=True).median()
    return out


def pandas_agency_table(f: dict) -> pd.DataFrame:
    a = _agency_sums(f["metrics"])
    peers = a.groupby(["level", "kind"], observed=True)
    for k in RATES:
        num, den = a[f"{k}_num"], a[f"{k}_den"]
        a[k] = num / den.where(den != 0)
        gden = peers[f"{k}_den"].transform("sum")
        a[f"{k}_group"] = peers[f"{k}_num"].transform("sum") / gden.where(gden != 0)
    return a


def pandas_province_year_sums(f: dict) -> pd.DataFrame:
    w = f["wide"]
    cur = w[w.is_current]
    g = cur.groupby(["province", "year"], sort=False, observed=True)
    out = g[OUTCOME].sum(min_count=1)
    out["n"] = g.size()
    return out


PANDAS = {
    "cells_pivot": (pandas_cells_pivot, "cells"),
    "peer_mad": (pandas_peer_mad, "metrics"),
    "agency_table": (pandas_agency_table, "metrics"),
    "province_year_sums": (pandas_province_year_sums, "wide"),
}


def _close(a, b) -> bool:
    return a.shape == b.shape and np.allclose(a.to_numpy(float), b.to_numpy(float), equal_nan=True)


def _same(name: str, d: pd.DataFrame, p: pd.DataFrame) -> bool:
    """Both engines give the same answer (checked once, so the ratios compare equal work)."""
    if name == "cells_pivot":
        d = d.set_index("report_id").sort_index()
        p = p.sort_index()
        cols = [c for c in d.columns if c in p.columns]
        filled = [c for c in d.columns if c not in p.columns]
        return bool(d[filled].isna().all().all()) and _close(d[cols], p[cols])
    if name == "peer_mad":
        d = d.set_index(["level", "kind"]).sort_index()
        p = p.sort_index()
        cols = ["n", "p50", "mad", "p10", "p90"]
        return _close(d[cols], p[cols])
    if name == "agency_table":
        d = d.set_index("agency_id").reindex(p.index)
        cols = RATES + [f"{k}_group" for k in RATES]
        return _close(d[cols], p[cols])
    d = d.set_index(["province", "year"]).reindex(p.index)
    return _close(d[OUTCOME + ["n"]], p[OUTCOME + ["n"]])


def _categorise(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("level", "kind", "province", "tbl", "row_key", "col_key"):
        if c in df:
            df[c] = df[c].astype("category")
    return df


def run(db_path: str, repeats: int = 5) -> dict:
    from analytics.warehouse import connect_read

    db_path = existing_db(db_path)
    con = connect_read(db_path)
    province = con.execute("""SELECT province FROM report_wide WHERE is_current GROUP BY 1
                              ORDER BY count(*) DESC, 1 LIMIT 1""").fetchall()[0][0]
    sqls = sql_for(province)
    prov = province.replace("'", "''")
    sources = {
        "metrics": f"SELECT agency_id, level, kind, province, year, {', '.join(_num_den(RATES))} "
                   "FROM report_metrics",
        "wide": f"SELECT is_current, province, year, {', '.join(OUTCOME)} FROM report_wide",
        "cells": "SELECT report_id, row_key, col_key, value FROM cells WHERE tbl = 'applications' "
                 f"AND report_id IN (SELECT report_id FROM report_wide WHERE province = '{prov}')",
    }
    pq_dir = OUT / "pandas"
    pq_dir.mkdir(parents=True, exist_ok=True)
    out = {"province": province, "aggregations": {}, "write_parquet_s": {}, "read_parquet_s": {},
           "rows": {}}
    frames = {}
    for key, sql in sources.items():
        path = pq_dir / f"{key}.parquet"
        _, t_w = timed(lambda: con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)"))
        frames[key], t_r = timed(lambda: _categorise(pd.read_parquet(path)))
        out["write_parquet_s"][key] = round(t_w, 2)
        out["read_parquet_s"][key] = round(t_r, 2)
        out["rows"][key] = len(frames[key])
    # Kept for the README's older wording.
    out["rows_wide"] = out["rows"]["wide"]

    for name, sql in sqls.items():
        fn, source = PANDAS[name]
        path = pq_dir / f"{source}.parquet"
        d = con.execute(sql).df()
        p = fn(frames)
        same = _same(name, d, p)
        t_duck = [timed2(lambda: con.execute(sql).df()) for _ in range(repeats)]
        t_mem = [timed2(fn, frames) for _ in range(repeats)]
        t_pq = [timed2(lambda: fn({source: _categorise(pd.read_parquet(path))})) for _ in range(repeats)]
        sd = summary_ms([x[1] for x in t_duck], [x[2] for x in t_duck])
        sm = summary_ms([x[1] for x in t_mem], [x[2] for x in t_mem])
        sq = summary_ms([x[1] for x in t_pq], [x[2] for x in t_pq])
        out["aggregations"][name] = {
            "duckdb": sd, "pandas": sm, "pandas_parquet": sq, "same_answer": bool(same),
            "ratio_pandas_over_duckdb": round(sm["p50_ms"] / sd["p50_ms"], 1),
            "cpu_ratio_pandas_over_duckdb": round(sm["cpu_p50_ms"] / sd["cpu_p50_ms"], 1),
            "ratio_parquet_over_duckdb": round(sq["p50_ms"] / sd["p50_ms"], 1),
            "cpu_ratio_parquet_over_duckdb": round(sq["cpu_p50_ms"] / sd["cpu_p50_ms"], 1)}
        print(f"{name:20s} duckdb {sd['p50_ms']:8.1f} ms (cpu {sd['cpu_p50_ms']:.1f})  pandas in memory "
              f"{sm['p50_ms']:8.1f} ms (cpu {sm['cpu_p50_ms']:.1f})  pandas from parquet "
              f"{sq['p50_ms']:8.1f} ms (cpu {sq['cpu_p50_ms']:.1f})  same={same}", flush=True)
    con.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False, indent=1))
