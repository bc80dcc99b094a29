"""The evaluation's own queries (``evaluate/sql/*.sql``), run like the dashboard's: the shared
filter predicate is the only text put in, every value is a bound parameter."""

from __future__ import annotations

import re

import pandas as pd

from ..dashboard import filters as flt
from ..metrics import METRICS
from ..warehouse import sqlfiles

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def run(con, name: str, params: dict) -> pd.DataFrame:
    sql = sqlfiles.read(name, "analytics.evaluate").format(where=flt.WHERE_SQL, region=flt.REGION_SQL)
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise ValueError(f"query {name} needs parameters {sorted(missing)}")
    return con.execute(sql, {k: v for k, v in params.items() if k in used}).df()


def places(con, *, name: str) -> pd.DataFrame:
    return run(con, "places", {"name": name})


def coverage_agencies(con, *, year: int, **params) -> pd.DataFrame:
    return run(con, "coverage_agencies", {**flt.example(), **params, "year": int(year)})


def findings_by_agency(con, **params) -> pd.DataFrame:
    return run(con, "findings_by_agency", {**flt.example(), **params})


def rate_trend(con, *, metrics: list[str], **params) -> pd.DataFrame:
    keys = [k for k in metrics if k in METRICS]  # registry keys only: they name columns
    columns = [f"{k}_{p}" for k in keys for p in ("num", "den")]
    df = run(con, "rate_trend", {**flt.example(), **params, "columns": columns})
    return df[[c for c in df.columns if c not in columns] + columns]
