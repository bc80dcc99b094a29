"""Every query of ``analytics.dashboard.queries.CATALOGUE`` on a warehouse, cold and warm, under the
filters a user sets: the whole country, one province, one city, one agency over all years.

Cold is the first run on a fresh read connection (DuckDB's buffer pool empty; the file itself may
still be in the operating system's page cache). Warm is the same query repeated on that connection.

    .venv/bin/python benchmarks/bench_queries.py benchmarks/out/synth-1.0.duckdb
"""

from __future__ import annotations

import json
import sys

from common import existing_db, summary_ms, timed2

# The first four scenarios are over all years; the fifth is the whole country over its last five
# years, the range a user sets most. The same target (warm p50 under 100 ms) holds for all five.
SCENARIOS = ("country", "province", "city", "agency", "country_years")


def scenarios(con) -> dict[str, dict]:
    """Filter parameters and ids for each scenario, picked from the data (largest places)."""
    from analytics.dashboard import filters

    prov = con.execute("""SELECT province FROM report_wide WHERE is_current GROUP BY 1
                          ORDER BY count(*) DESC, 1 LIMIT 1""").fetchall()[0][0]
    city = con.execute("""SELECT city FROM report_wide WHERE is_current AND province = $p
                          AND city IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""",
                       {"p": prov}).fetchall()[0][0]
    agency, county = con.execute("""SELECT agency_id, county FROM report_wide
                          WHERE is_current AND city = $c AND kind = 'government'
                          ORDER BY level, agency_id LIMIT 1""", {"c": city}).fetchall()[0]
    report_id, year = con.execute("""SELECT report_id, year FROM report_wide WHERE is_current
                          AND agency_id = $a ORDER BY year DESC LIMIT 1""",
                                  {"a": agency}).fetchall()[0]
    out = {
        "country": dict(filters=filters.example()),
        "province": dict(filters=filters.example(province=prov)),
        "city": dict(filters=filters.example(province=prov, city=city)),
        "agency": dict(filters=filters.example(province=prov, city=city, county=county)),
        "country_years": dict(filters=filters.example(year_from=2021, year_to=2025)),
    }
    for s in out.values():
        s.update(agency_id=agency, report_id=int(report_id), year=int(year))
    return out


def params_for(example: dict, scen: dict) -> dict:
    p = dict(example)
    if "year_from" in p:
        p.update(scen["filters"])
    if "report_id" in p:
        p["report_id"] = scen["report_id"]
    if "agency_id" in p:
        p["agency_id"] = scen["agency_id"]
    if "year" in p:
        p["year"] = scen["year"]
    if "agencies" in p:
        p["agencies"] = [scen["agency_id"]]
    return p


def run(db_path: str, repeats: int = 7, only: list[str] | None = None) -> dict:
    from analytics.dashboard import queries as Q
    from analytics.warehouse import connect_read

    db_path = existing_db(db_path)
    con = connect_read(db_path)
    scen = scenarios(con)
    con.close()
    results = {}
    for name, (fn, example) in Q.CATALOGUE.items():
        if only and name not in only:
            continue
        for sname in SCENARIOS:
            p = params_for(example, scen[sname])
            con = connect_read(db_path)
            df, cold, cold_cpu = timed2(fn, con, **p)
            runs = [timed2(fn, con, **p) for _ in range(repeats)]
            con.close()
            r = {"query": name, "scenario": sname, "rows": len(df),
                 "cold_ms": round(1000 * cold, 2), "cold_cpu_ms": round(1000 * cold_cpu, 2),
                 **summary_ms([x[1] for x in runs], [x[2] for x in runs])}
            results[f"{name}|{sname}"] = r
            print(f"{name:22s} {sname:9s} rows {len(df):7d}  cold {r['cold_ms']:8.1f} ms  "
                  f"warm p50 {r['p50_ms']:8.1f} ms  cpu p50 {r['cpu_p50_ms']:8.1f} ms", flush=True)
    return {"scenarios": {k: {kk: vv for kk, vv in v.items()} for k, v in scen.items()},
            "queries": results}


if __name__ == "__main__":
    res = run(sys.argv[1], only=sys.argv[2:] or None)
    print(json.dumps({k: v for k, v in res.items() if k != "queries"}, ensure_ascii=False, default=str))
