"""The app's heavy aggregations in DuckDB and in pandas, on the same data in the same run.

The work is what the comparison and data-quality pages ask for the whole country over all years
(the default view), plus one light aggregation and the refresh's pivot for reference:

- ``agency_table``: every agency with the 13 metrics of the comparison table, the 2,000 largest;
- ``peer_ranking``: one rate per agency with its peer group's (level × kind) median, quartiles,
  P10/P90, percentile rank, MAD and robust score, the 30 highest;
- ``outliers``: the same for another rate, the 50 agencies farthest from their peers;
- ``heatmap``: the 25 largest agencies and, for ten rates, their percentile among all agencies;
- ``findings_summary``: findings of current reports per rule and severity;
- ``year_sums`` (light): headline numerators and denominators per year;
- ``cells_pivot`` (refresh work, not a page query): one province's long ``cells`` of table 3
  pivoted to one row per report.

Timed for each:

- **DuckDB, the app**: the dashboard's own query function (``analytics.dashboard.queries``) on the
  warehouse file, warm connection — with the summary tables the refresh maintains (agency_total,
  peer_stats, peer_ecdf, metric_ecdf, findings_placed, region_year);
- **DuckDB, base tables**: the same query functions with ``totals=False, lookups=False``, so they
  sum every agency's reports (agency_year: report_metrics stored once) and count every statistic,
  and findings / year sums from findings and report_metrics, like pandas does (the engine alone);
- **pandas in memory**: the same answer computed from report-level frames already in memory
  (loading them is not counted: the most favourable case for pandas);
- **pandas from Parquet**: reading the columns it needs from Parquet (written once by DuckDB from
  the same warehouse) and then computing — what an app built on pandas + Parquet pays per question.

Every answer is checked against the app's before it is timed.

    .venv/bin/python benchmarks/bench_pandas.py benchmarks/out/synth-1.0.duckdb
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from common import OUT, existing_db, summary_ms, timed, timed2

APPLICANT_COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org"]
PEER_METRIC, OUTLIER_METRIC = "substantive_disclosure_rate", "denial_rate"


def _metric_keys() -> list[str]:
    from analytics.dashboard import queries as Q

    return list(dict.fromkeys(["applications", *Q.TABLE_METRICS, *Q.HEATMAP_METRICS, PEER_METRIC,
                               OUTLIER_METRIC, *Q.HEADLINE]))


def _num_den(keys) -> list[str]:
    return [c for k in keys for c in (f"{k}_num", f"{k}_den")]


def _is_ratio(key: str) -> bool:
    from analytics.dashboard.metrics import METRICS

    return METRICS[key].is_ratio


# ------------------------------------------------------------------ the app's answers


def app_calls() -> dict:
    from analytics.dashboard import filters
    from analytics.dashboard import queries as Q

    p = filters.example()
    return {
        "agency_table": lambda con: Q.agency_metrics(con, **p, limit=2000, metrics=Q.TABLE_METRICS),
        "peer_ranking": lambda con: Q.metric_peers(con, **p, metric=PEER_METRIC, order="desc", limit=30),
        "outliers": lambda con: Q.metric_peers(con, **p, metric=OUTLIER_METRIC, order="outlier", limit=50),
        "heatmap": lambda con: Q.metric_heatmap(con, **p, limit=25),
        "findings_summary": lambda con: Q.findings_summary(con, **p),
        "year_sums": lambda con: Q.kpi_by_year(con, **p),
    }


BASE_SQL = {
    # What findings_summary and kpi_by_year computed before findings_placed and region_year.
    "findings_summary": """
        WITH r AS (SELECT agency_id, year FROM report_wide WHERE is_current)
        SELECT f.rule, f.severity, count(*) AS n, count(*) FILTER (WHERE d.status IS NULL) AS n_open
        FROM findings f SEMI JOIN r ON f.agency_id = r.agency_id AND f.year = r.year
        LEFT JOIN finding_decisions d USING (fingerprint)
        GROUP BY ALL ORDER BY n DESC, f.rule""",
    "year_sums": "SELECT year, count(*) AS n_reports, sum(applications_num) AS applications, {sums} "
                 "FROM report_metrics GROUP BY year ORDER BY year",
}


def base_calls() -> dict:
    """The app's calls with what the refresh precomputes switched off: agency_window sums every
    agency's reports (``totals=False``) and no statistic is looked up (``lookups=False``)."""
    from analytics.dashboard import filters
    from analytics.dashboard import queries as Q

    p = {**filters.example(), "lookups": False, "totals": False}
    calls = dict(app_calls())
    calls["agency_table"] = lambda con: Q.agency_metrics(con, **p, limit=2000, metrics=Q.TABLE_METRICS)
    calls["peer_ranking"] = lambda con: Q.metric_peers(con, **p, metric=PEER_METRIC, order="desc", limit=30)
    calls["outliers"] = lambda con: Q.metric_peers(con, **p, metric=OUTLIER_METRIC, order="outlier", limit=50)
    calls["heatmap"] = lambda con: Q.metric_heatmap(con, **p, limit=25)
    sums = ", ".join(f"sum({k}_num) AS {k}_num, sum({k}_den) AS {k}_den" for k in Q.HEADLINE)
    calls["findings_summary"] = lambda con: con.execute(BASE_SQL["findings_summary"]).df()
    calls["year_sums"] = lambda con: con.execute(BASE_SQL["year_sums"].format(sums=sums)).df()
    return calls


# ------------------------------------------------------------------ pandas


def _per_agency(m: pd.DataFrame, keys) -> pd.DataFrame:
    g = m.groupby("agency_id", sort=False, observed=True)
    out = g[["name", "dataset", "level", "kind"]].first()
    out["n_reports"] = g.size()
    out = out.join(g[_num_den(keys)].sum(min_count=1))
    for k in keys:
        num, den = out[f"{k}_num"], out[f"{k}_den"]
        out[k] = num / den.where(den != 0) if _is_ratio(k) else num
    out["name"] = out["name"].astype(str) + np.where(out["dataset"].astype(str) == "demo", "（演示）", "")
    return out


def _top(df: pd.DataFrame, col: str, n: int, ascending: bool = False) -> pd.DataFrame:
    return df.sort_values([col, "name"], ascending=[ascending, True], na_position="last").head(n)


def pandas_agency_table(f: dict) -> pd.DataFrame:
    from analytics.dashboard import queries as Q

    return _top(_per_agency(f["metrics"], list(dict.fromkeys(["applications", *Q.TABLE_METRICS]))),
                "applications", 2000)


def _peers(f: dict, key: str) -> pd.DataFrame:
    a = _per_agency(f["metrics"], [key]).rename(columns={key: "value"}).dropna(subset=["value"])
    peers = a.groupby(["level", "kind"], observed=True, dropna=False).value
    a["n_peers"] = peers.transform("size")
    a["peer_median"] = peers.transform("median")
    for q in (10, 25, 75, 90):
        a[f"peer_p{q}"] = peers.transform(lambda v, q=q: v.quantile(q / 100))
    a["peer_percentile"] = (peers.rank(method="min") - 1).div((a.n_peers - 1).where(a.n_peers > 1)).fillna(0)
    dev = (a["value"] - a["peer_median"]).abs()
    a["peer_mad"] = dev.groupby([a["level"], a["kind"]], observed=True, dropna=False).transform("median")
    a["robust_score"] = (a["value"] - a["peer_median"]) / (1.4826 * a["peer_mad"]).where(a["peer_mad"] != 0)
    return a


def pandas_peer_ranking(f: dict) -> pd.DataFrame:
    return _top(_peers(f, PEER_METRIC), "value", 30)


def pandas_outliers(f: dict) -> pd.DataFrame:
    a = _peers(f, OUTLIER_METRIC)
    a["far"] = -a["robust_score"].fillna(0).abs()
    return _top(a, "far", 50, ascending=True)


def pandas_heatmap(f: dict) -> pd.DataFrame:
    from analytics.dashboard import queries as Q

    a = _per_agency(f["metrics"], list(dict.fromkeys(["applications", *Q.HEATMAP_METRICS])))
    shown = _top(a, "applications", 25)
    out = shown[["name", "applications"]].copy()
    for k in Q.HEATMAP_METRICS:
        v = a[k].dropna()
        below = np.searchsorted(np.sort(v.to_numpy()), shown[k].to_numpy(), side="left")
        pct = below / (len(v) - 1) if len(v) > 1 else np.zeros(len(shown))
        out[k] = np.where(shown[k].isna(), np.nan, pct)
    return out


def pandas_findings_summary(f: dict) -> pd.DataFrame:
    w = f["wide"]
    cur = w.loc[w.is_current, ["agency_id", "year"]].drop_duplicates()
    x = f["findings"].merge(cur, on=["agency_id", "year"])
    x = x.merge(f["decisions"], on="fingerprint", how="left")
    g = x.groupby(["rule", "severity"], observed=True)
    return pd.DataFrame({"n": g.size(), "n_open": g.status.apply(lambda s: int(s.isna().sum()))})


def pandas_year_sums(f: dict) -> pd.DataFrame:
    from analytics.dashboard import queries as Q

    m = f["metrics"]
    g = m.groupby("year", observed=True)
    out = g[["applications_num", *_num_den(Q.HEADLINE)]].sum(min_count=1)
    out["n_reports"] = g.size()
    return out


def pandas_cells_pivot(f: dict) -> pd.DataFrame:
    c = f["cells"]
    tot = c[c.col_key == "total"].pivot_table(index="report_id", columns="row_key", values="value",
                                              aggfunc="max", observed=True)
    tot.columns = [f"a_{k}" for k in tot.columns]
    nr = c[(c.row_key == "new_received") & (c.col_key != "total")].pivot_table(
        index="report_id", columns="col_key", values="value", aggfunc="max", observed=True)
    nr.columns = [f"nr_{k}" for k in nr.columns]
    return tot.join(nr, how="outer")


PANDAS = {
    "agency_table": (pandas_agency_table, ("metrics",)),
    "peer_ranking": (pandas_peer_ranking, ("metrics",)),
    "outliers": (pandas_outliers, ("metrics",)),
    "heatmap": (pandas_heatmap, ("metrics",)),
    "findings_summary": (pandas_findings_summary, ("findings", "wide", "decisions")),
    "year_sums": (pandas_year_sums, ("metrics",)),
    "cells_pivot": (pandas_cells_pivot, ("cells",)),
}
HEAVY = ["agency_table", "peer_ranking", "outliers", "heatmap", "findings_summary"]


def cells_pivot_sql(province: str) -> str:
    from analytics import fields

    cols = ",\n           ".join(
        [f"max(value) FILTER (WHERE row_key = '{k}' AND col_key = 'total') AS \"a_{k}\""
         for k in fields.APPLICATION_ROWS]
        + [f"max(value) FILTER (WHERE row_key = 'new_received' AND col_key = '{c}') AS \"nr_{c}\""
           for c in APPLICANT_COLS])
    prov = province.replace("'", "''")
    return (f"SELECT report_id, {cols}\nFROM cells\nWHERE tbl = 'applications'\n"
            f"  AND report_id IN (SELECT report_id FROM report_wide WHERE province = '{prov}')\n"
            "GROUP BY report_id")


# ------------------------------------------------------------------ same answers


def _close(a, b) -> bool:
    a = pd.DataFrame(a).apply(pd.to_numeric, errors="coerce").to_numpy(float)
    b = pd.DataFrame(b).apply(pd.to_numeric, errors="coerce").to_numpy(float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)


def same_answer(name: str, d: pd.DataFrame, p: pd.DataFrame) -> bool:
    from analytics.dashboard import queries as Q

    if name == "agency_table":
        keys = list(dict.fromkeys(["applications", *Q.TABLE_METRICS]))
        return list(d.agency_id) == list(p.index) and _close(d[keys], p[keys]) and _close(d.n_reports, p.n_reports)
    if name in ("peer_ranking", "outliers"):
        cols = ["value", "n_peers", "peer_median", "peer_p10", "peer_p25", "peer_p75", "peer_p90",
                "peer_percentile", "peer_mad", "robust_score"]
        return list(d.agency_id) == list(p.index) and _close(d[cols], p[cols])
    if name == "heatmap":
        return list(d.agency_id) == list(p.index) and _close(d[Q.HEATMAP_METRICS], p[Q.HEATMAP_METRICS])
    if name == "findings_summary":
        d = d.set_index(["rule", "severity"]).sort_index()
        return list(d.index) == list(p.sort_index().index) and _close(d[["n", "n_open"]], p.sort_index())
    if name == "year_sums":
        d = d.rename(columns={"applications": "applications_num"}).set_index("year").reindex(p.index)
        return set(p.columns) <= set(d.columns) and _close(d[list(p.columns)], p)
    d = d.set_index("report_id").sort_index()
    p = p.sort_index()
    cols = [c for c in d.columns if c in p.columns]
    filled = [c for c in d.columns if c not in p.columns]
    return bool(d[filled].isna().all().all()) and _close(d[cols], p[cols])


def _categorise(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("level", "kind", "province", "tbl", "row_key", "col_key", "dataset", "rule", "severity"):
        if c in df:
            df[c] = df[c].astype("category")
    return df


# ------------------------------------------------------------------ run


def run(db_path: str, repeats: int = 5) -> dict:
    from analytics.warehouse import connect_read

    db_path = existing_db(db_path)
    con = connect_read(db_path)
    province = con.execute("""SELECT province FROM report_wide WHERE is_current GROUP BY 1
                              ORDER BY count(*) DESC, 1 LIMIT 1""").fetchall()[0][0]
    prov = province.replace("'", "''")
    keys = _metric_keys()
    sources = {
        "metrics": f"SELECT agency_id, name, dataset, level, kind, year, {', '.join(_num_den(keys))} "
                   "FROM report_metrics",
        "wide": "SELECT agency_id, year, is_current FROM report_wide",
        "findings": "SELECT fingerprint, rule, severity, agency_id, year FROM findings",
        "decisions": "SELECT fingerprint, status FROM finding_decisions",
        "cells": "SELECT report_id, row_key, col_key, value FROM cells WHERE tbl = 'applications' "
                 f"AND report_id IN (SELECT report_id FROM report_wide WHERE province = '{prov}')",
    }
    pq_dir = OUT / "pandas"
    pq_dir.mkdir(parents=True, exist_ok=True)
    out = {"province": province, "aggregations": {}, "write_parquet_s": {}, "read_parquet_s": {},
           "rows": {}, "heavy": HEAVY}
    frames = {}
    for key, sql in sources.items():
        path = pq_dir / f"{key}.parquet"
        _, t_w = timed(lambda: con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)"))
        frames[key], t_r = timed(lambda: _categorise(pd.read_parquet(path)))
        out["write_parquet_s"][key] = round(t_w, 2)
        out["read_parquet_s"][key] = round(t_r, 2)
        out["rows"][key] = len(frames[key])

    app, base = app_calls(), base_calls()
    app["cells_pivot"] = base["cells_pivot"] = (lambda con, s=cells_pivot_sql(province): con.execute(s).df())
    for name, (fn, needs) in PANDAS.items():
        d_app, d_base, p = app[name](con), base[name](con), fn(frames)
        same = {"base": same_answer(name, d_base, p), "app": same_answer(name, d_app, p)}

        def from_parquet(fn=fn, needs=needs):
            return fn({k: _categorise(pd.read_parquet(pq_dir / f"{k}.parquet")) for k in needs})

        t_app = [timed2(app[name], con) for _ in range(repeats)]
        t_base = [timed2(base[name], con) for _ in range(repeats)]
        t_mem = [timed2(fn, frames) for _ in range(repeats)]
        t_pq = [timed2(from_parquet) for _ in range(repeats)]
        s = {k: summary_ms([x[1] for x in t], [x[2] for x in t])
             for k, t in (("duckdb", t_app), ("duckdb_base", t_base), ("pandas", t_mem), ("pandas_parquet", t_pq))}

        def ratio(a, b, field="p50_ms"):
            return round(s[a][field] / s[b][field], 1)
        out["aggregations"][name] = {
            **s, "same_answer": bool(same["app"] and same["base"]), "same": same, "heavy": name in HEAVY,
            "ratio_pandas_over_duckdb": ratio("pandas", "duckdb"),
            "cpu_ratio_pandas_over_duckdb": ratio("pandas", "duckdb", "cpu_p50_ms"),
            "ratio_parquet_over_duckdb": ratio("pandas_parquet", "duckdb"),
            "cpu_ratio_parquet_over_duckdb": ratio("pandas_parquet", "duckdb", "cpu_p50_ms"),
            "ratio_pandas_over_duckdb_base": ratio("pandas", "duckdb_base"),
            "cpu_ratio_pandas_over_duckdb_base": ratio("pandas", "duckdb_base", "cpu_p50_ms")}
        x = out["aggregations"][name]
        print(f"{name:17s} app {s['duckdb']['p50_ms']:8.1f} ms  base {s['duckdb_base']['p50_ms']:8.1f} ms  "
              f"pandas {s['pandas']['p50_ms']:8.1f} ms  parquet {s['pandas_parquet']['p50_ms']:8.1f} ms  "
              f"ratio {x['ratio_pandas_over_duckdb']}× (base {x['ratio_pandas_over_duckdb_base']}×)  "
              f"same={same}", flush=True)
    con.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], repeats=int(sys.argv[2]) if len(sys.argv) > 2 else 5),
                     ensure_ascii=False, indent=1))
