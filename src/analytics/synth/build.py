"""Fill a warehouse file with the synthetic population, in bulk.

Each year of reports is drawn as arrays, handed to DuckDB as Arrow tables and moved into the
warehouse tables with INSERT … SELECT; string work (raw text, fingerprints, messages, dates) is
done by DuckDB, not by Python. ``report_wide`` is computed from the same arrays following
docs/warehouse.md, and its rows are stored sorted by (province, city, county, agency, year) so that
the zone maps of DuckDB skip most of the file for a province, a city or an agency.
"""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .. import fields as F
from ..errors import ReportError
from .checks import Collector, cross_year_rules, report_rules
from .places import build_agencies
from .population import COLS, GROUPS, R, RCOLS, ROWS, YEARS, Population, YearBatch
from ..warehouse.models import build as build_models, mark_sorted
from ..warehouse.wide import OUTCOME_GROUP_ROWS
from .wide import fill_wide, wide_columns

CELL_CHUNK = 40_000       # reports per Arrow batch of cells: ~8 M cells, a few hundred MB
P_OLD_VERSION = 0.01      # reports that also keep a superseded earlier version


def _one(con, sql: str):
    """The single value of a query, read to the end so the connection is free for the next call."""
    return con.execute(sql).fetchall()[0][0]


def _dict_array(codes: np.ndarray, names: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int16)), pa.array(names))


def _rows_sum(block: np.ndarray) -> np.ndarray:
    """Σ over axis 1 with NaN as 0, but NaN when every term is NaN (as the warehouse pivot)."""
    return np.where(np.isnan(block).all(axis=1), np.nan, np.nansum(block, axis=1))


def _wide_year(b: YearBatch, ids: np.ndarray, agencies: pd.DataFrame) -> pa.Table:
    a = b.apps
    total = a[:, :, 6].copy()
    blank_total = b.blank[:, :, 6] & b.present
    parts = np.nansum(a[:, :, :6], axis=2)
    total[blank_total] = parts[blank_total]
    total[~b.present] = np.nan
    cols: dict[str, object] = {
        "report_id": ids,
        "agency_id": agencies["agency_id"].to_numpy()[b.agency_idx],
        "year": np.full(ids.size, b.year, np.int32),
        "template": b.template.astype(str),
        "published_days": b.published_days,
    }
    for i, k in enumerate(ROWS):
        cols[f"a_{k}"] = total[:, i]
    cols["a_total_derived"] = blank_total.sum(axis=1).astype(np.int32)
    for row, prefix in (("new_received", "nr"), ("carried_over", "co"), ("carried_forward", "cf")):
        for j, c in enumerate(COLS[:6]):
            cols[f"{prefix}_{c}"] = a[:, R[row], j]

    def group_sum(keys):
        block = total[:, [R[k] for k in keys]]
        return np.where(np.isnan(block).all(axis=1), np.nan, np.nansum(block, axis=1))

    cols["denied"] = group_sum(F.DENIED_ROWS)
    cols["unable"] = group_sum(F.UNABLE_ROWS)
    cols["refused"] = group_sum(F.REFUSED_ROWS)
    cols["other_handled"] = group_sum(F.OTHER_ROWS_2021 + ["other_total"])
    for g, keys in OUTCOME_GROUP_ROWS.items():
        for j, c in enumerate(COLS[:6]):
            cols[f"ag_{g}_{c}"] = _rows_sum(a[:, [R[k] for k in keys], j])
            if g == "other_handled":
                fallback = a[:, R["other_total"], j]
                cols[f"ag_{g}_{c}"] = np.where(np.isnan(cols[f"ag_{g}_{c}"]), fallback, cols[f"ag_{g}_{c}"])
    for g, prefix in zip(GROUPS, ("rv", "ld", "la")):
        for j, c in enumerate(RCOLS):
            cols[f"{prefix}_{c}"] = b.review[:, GROUPS.index(g), j]
    for i, k in enumerate(F.ACTIVE_KEYS):
        cols[f"ad_{k}"] = b.active[:, i]
    return pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})


def _cells_year(b: YearBatch, ids: np.ndarray):
    """Arrow batches of the long ``cells`` rows of one year, CELL_CHUNK reports at a time."""
    n_cols = len(COLS)
    for lo in range(0, ids.size, CELL_CHUNK):
        hi = min(lo + CELL_CHUNK, ids.size)
        present = b.present[lo:hi]
        r, i = np.nonzero(present)
        r = np.repeat(r, n_cols)
        i = np.repeat(i, n_cols)
        j = np.tile(np.arange(n_cols), r.size // n_cols)
        a_val = b.apps[lo:hi][r, i, j]
        a_blank = b.blank[lo:hi][r, i, j]

        m = hi - lo
        rv_r = np.repeat(np.arange(m), len(GROUPS) * len(RCOLS))
        rv_g = np.tile(np.repeat(np.arange(len(GROUPS)), len(RCOLS)), m)
        rv_c = np.tile(np.arange(len(RCOLS)), m * len(GROUPS))
        rv_val = b.review[lo:hi][rv_r, rv_g, rv_c]

        act = b.active[lo:hi]
        ad_r, ad_k = np.nonzero(~np.isnan(act))
        ad_val = act[ad_r, ad_k]

        n_a, n_r, n_d = r.size, rv_r.size, ad_r.size
        tbl = np.concatenate([np.zeros(n_a), np.ones(n_r), np.full(n_d, 2)])
        row_key = np.concatenate([i, len(ROWS) + rv_g, len(ROWS) + len(GROUPS) + ad_k])
        col_key = np.concatenate([j, n_cols + rv_c, np.full(n_d, n_cols + len(RCOLS))])
        kind = np.concatenate([a_blank, np.zeros(n_r + n_d, bool)])
        yield pa.table({
            "report_id": np.concatenate([ids[lo:hi][r], ids[lo:hi][rv_r], ids[lo:hi][ad_r]]),
            "tbl": _dict_array(tbl, [F.APPLICATIONS, F.REVIEW_LITIGATION, F.ACTIVE_DISCLOSURE]),
            "row_key": _dict_array(row_key, ROWS + GROUPS + F.ACTIVE_KEYS),
            "col_key": _dict_array(col_key, COLS + RCOLS + ["value"]),
            "value": pa.array(np.concatenate([a_val, rv_val, ad_val]), from_pandas=True),
            "kind": _dict_array(kind.astype(np.int16), ["number", "blank"]),
        })


def _findings_year(coll: Collector, ids: np.ndarray, agency_ids: np.ndarray,
                   year: int) -> pa.Table:
    f = coll.arrays()
    rows = f["row"].astype(np.int64)
    return pa.table({
        "report_id": pa.array(ids[rows], pa.int64()),
        "rule": pa.array(f["rule"], pa.string()), "severity": pa.array(f["severity"], pa.string()),
        "scope": pa.array(f["scope"], pa.string()), "subject": pa.array(f["subject"], pa.string()),
        "expected": pa.array(f["expected"], pa.float64(), from_pandas=True),
        "actual": pa.array(f["actual"], pa.float64(), from_pandas=True),
        "agency_id": pa.array(agency_ids[rows], pa.string()),
        "year": pa.array(np.full(rows.size, year, np.int32)),
    })


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The warehouse's own schema (its tables, macros and views), so the pages find what they read."""
    try:
        from ..warehouse.schema import ensure_schema
    except ImportError:
        sql = resources.files("analytics").joinpath("warehouse/sql/schema.sql").read_text("utf-8")
        con.execute(sql)
    else:
        ensure_schema(con)


def generate(db_path: str | Path, scale: float, seed: int = 0, with_cells: bool = True,
             log=None) -> dict:
    """Create the synthetic warehouse at ``db_path``; returns counts and timings."""
    if not (0 < scale <= 2):
        raise ReportError(f"scale 须在 (0, 2] 之内，而不是 {scale}")
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    say = log or (lambda msg: None)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    con = duckdb.connect(str(db_path))
    try:
        apply_schema(con)
        if _one(con, "SELECT count(*) FROM reports"):
            raise ReportError(f"{db_path} 中已有报告；synth 只写入空的数据仓库")
        agencies = build_agencies(scale, rng)
        agencies_arrow = pa.Table.from_pandas(agencies.assign(dataset="synth"), preserve_index=False)
        con.register("synth_agencies", agencies_arrow)
        con.execute("INSERT INTO agencies BY NAME SELECT * FROM synth_agencies")
        con.unregister("synth_agencies")
        say(f"机构：{len(agencies)} 个")

        pop = Population(agencies, rng)
        level = agencies["level"].to_numpy()
        agency_ids = agencies["agency_id"].to_numpy().astype(object)
        next_id, prev = 1, None
        n_cells = 0
        for year in YEARS:
            b = pop.year(year)
            ids = np.arange(next_id, next_id + b.agency_idx.size, dtype=np.int64)
            next_id += ids.size
            coll = Collector()
            report_rules(b, level, coll)
            cross_year_rules(b, prev, len(agencies), coll)
            wide = _wide_year(b, ids, agencies)
            found = _findings_year(coll, ids, agency_ids[b.agency_idx], year)
            con.register("synth_wide_batch", wide)
            con.register("synth_found_batch", found)
            if year == YEARS[0]:
                con.execute("CREATE TEMP TABLE synth_wide AS SELECT * FROM synth_wide_batch")
                con.execute("CREATE TEMP TABLE synth_found AS SELECT * FROM synth_found_batch")
            else:
                con.execute("INSERT INTO synth_wide SELECT * FROM synth_wide_batch")
                con.execute("INSERT INTO synth_found SELECT * FROM synth_found_batch")
            con.unregister("synth_wide_batch")
            con.unregister("synth_found_batch")
            if with_cells:
                for batch in _cells_year(b, ids):
                    con.register("synth_cells_batch", batch)
                    con.execute(INSERT_CELLS)
                    con.unregister("synth_cells_batch")
                    n_cells += batch.num_rows
            say(f"{year} 年：{ids.size} 份报告，{found.num_rows} 条发现，"
                f"已用 {time.perf_counter() - t0:.1f} 秒")
            prev = b
        con.execute(INSERT_REPORTS)
        con.execute(INSERT_MISSING_YEARS)
        con.register("synth_labels", _labels())
        con.execute(INSERT_FINDINGS)
        con.unregister("synth_labels")
        old = _old_versions(con, rng, next_id, with_cells)
        n_cells += old["cells"]
        unfilled = fill_wide(con)
        build_models(con)
        mark_sorted(con, _one(con, "SELECT count(*) FROM report_wide"))
        con.execute("DROP SEQUENCE IF EXISTS report_seq")
        top = _one(con, "SELECT coalesce(max(report_id), 0) + 1 FROM reports")
        con.execute(f"CREATE SEQUENCE report_seq START {int(top)}")
        con.execute("CHECKPOINT")
        stats = dict(
            agencies=len(agencies),
            reports=_one(con, "SELECT count(*) FROM reports"),
            current_reports=_one(con, "SELECT count(*) FROM reports WHERE is_current"),
            cells=n_cells,
            findings=_one(con, "SELECT count(*) FROM findings"),
            wide_columns=len(wide_columns(con)),
            wide_unfilled=unfilled,
        )
    finally:
        con.close()
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    stats["file_bytes"] = db_path.stat().st_size
    say(f"完成：{stats}")
    return stats


def _old_versions(con, rng, next_id: int, with_cells: bool) -> dict:
    """Give a few reports a superseded earlier version (a corrected report published again)."""
    ids = con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchnumpy()["report_id"]
    pick = ids[rng.random(ids.size) < P_OLD_VERSION]
    table = pa.table({"old_of": pick, "new_id": np.arange(next_id, next_id + pick.size)})
    con.register("synth_old", table)
    con.execute("""
        INSERT INTO reports BY NAME
        SELECT r.* REPLACE (o.new_id AS report_id, false AS is_current,
                            sha256('synth-old:' || o.new_id) AS source_sha256,
                            r.loaded_at - INTERVAL 30 DAY AS loaded_at)
        FROM reports r JOIN synth_old o ON r.report_id = o.old_of""")
    con.execute("""
        INSERT INTO synth_wide BY NAME
        SELECT w.* REPLACE (o.new_id AS report_id)
        FROM synth_wide w JOIN synth_old o ON w.report_id = o.old_of""")
    n = 0
    if with_cells:
        n = _one(con, """
            INSERT INTO cells SELECT c.* REPLACE (o.new_id AS report_id)
            FROM cells c JOIN synth_old o ON c.report_id = o.old_of""")
    con.unregister("synth_old")
    return {"reports": int(pick.size), "cells": int(n)}


def _labels() -> pa.Table:
    """Short Chinese names of the keys a finding's subject can be (the last part of the label)."""
    keys, names = [], []
    for f in F.all_fields():
        if f.key not in keys:
            keys.append(f.key)
            names.append(f.label.split("·")[-1])
    for k, v in (("review", "行政复议"), ("regulations", "规章"), ("template", "模板")):
        if k not in keys:
            keys.append(k)
            names.append(v)
    return pa.table({"key": keys, "label": names})


INSERT_CELLS = """
INSERT INTO cells
SELECT report_id, CAST(tbl AS VARCHAR), CAST(row_key AS VARCHAR), CAST(col_key AS VARCHAR), value,
       CAST(kind AS VARCHAR),
       CASE WHEN value IS NULL THEN NULL
            WHEN value = trunc(value) THEN CAST(CAST(value AS BIGINT) AS VARCHAR)
            ELSE CAST(value AS VARCHAR) END,
       'synth'
FROM synth_cells_batch
"""

INSERT_REPORTS = """
INSERT INTO reports
SELECT w.report_id, w.agency_id, w.year, w.template,
       CASE a.kind WHEN 'government' THEN 'jurisdiction' WHEN 'office' THEN 'office'
                   ELSE 'agency' END,
       CASE WHEN w.published_days < 0 THEN NULL
            ELSE make_date(w.year + 1, 1, 1) + CAST(w.published_days AS INTEGER) END,
       NULL, sha256('synth:' || w.report_id), NULL, 'synth', 'synth', true, NULL,
       TIMESTAMP '2026-01-01', NULL, 0, NULL, NULL, NULL
FROM synth_wide w JOIN agencies a USING (agency_id)
"""

# An agency with a report the year before and the year after, but none this year.
INSERT_MISSING_YEARS = """
INSERT INTO synth_found
SELECT NULL, 'X_MISSING_YEAR', 'warning', 'cross_year', CAST(y.year AS VARCHAR), NULL, NULL,
       y.agency_id, y.year
FROM (SELECT agency_id, year + 1 AS year FROM reports) y
JOIN reports nxt ON nxt.agency_id = y.agency_id AND nxt.year = y.year + 1
ANTI JOIN reports cur ON cur.agency_id = y.agency_id AND cur.year = y.year
"""

INSERT_FINDINGS = """
INSERT INTO findings
SELECT f.rule || '|' || f.agency_id || '|' || f.year || '|' || f.subject_key,
       f.rule, f.severity, f.scope, f.report_id, f.agency_id, f.year, f.subject_key,
       CASE f.rule
         WHEN 'T3_FLOW' THEN printf('%s列：新收加上年结转 %d，不等于办理总计加结转下年 %d', f.subject, f.expected::BIGINT, f.actual::BIGINT)
         WHEN 'T3_OUTCOME_SUM' THEN printf('%s列：各项办理结果之和 %d，不等于总计 %d', f.subject, f.expected::BIGINT, f.actual::BIGINT)
         WHEN 'T3_COLUMN_SUM' THEN printf('%s行：各类申请人之和 %d，不等于总计 %d', f.subject, f.expected::BIGINT, f.actual::BIGINT)
         WHEN 'T3_BLANK_TOTAL' THEN printf('%s行：总计栏为空，分项之和为 %d', f.subject, f.expected::BIGINT)
         WHEN 'T4_GROUP_SUM' THEN printf('%s：维持、纠正、其他、未审结之和 %d，不等于总计 %d', f.subject, f.expected::BIGINT, f.actual::BIGINT)
         WHEN 'TEMPLATE_YEAR' THEN printf('%d 年度报告使用了 %d 版模板', f.year, f.actual::BIGINT)
         WHEN 'IMPLAUSIBLE_LEVEL' THEN printf('本级机关不制定规章，却填报规章 %d 件', f.actual::BIGINT)
         WHEN 'X_CARRYOVER' THEN printf('%s列：上年结转 %d，与上年报告结转下年度 %d 不一致', f.subject, f.actual::BIGINT, f.expected::BIGINT)
         WHEN 'X_STOCK' THEN printf('%s：现行有效 %d，按上年数加减本年制发、废止应约为 %d', f.subject, f.actual::BIGINT, f.expected::BIGINT)
         WHEN 'X_JUMP' THEN printf('%s：由上年 %d 变为 %d', f.subject, f.expected::BIGINT, f.actual::BIGINT)
         ELSE printf('缺少 %s 年度报告', f.subject) END,
       f.expected, f.actual
FROM (SELECT f.* REPLACE (coalesce(l.label, f.subject) AS subject), f.subject AS subject_key
      FROM synth_found f LEFT JOIN synth_labels l ON l.key = f.subject) f
"""
