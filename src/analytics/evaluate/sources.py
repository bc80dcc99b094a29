"""Reading a figure's value from its ``Source``: run the query function with its parameters, apply
the named step (the comparison statistics of ``dashboard.comparison``), pick the row and column.
The evaluation is built through here and the tests recompute every figure through here against a
fresh connection, besides their own independent queries."""

from __future__ import annotations

import math

import pandas as pd

from .. import stats
from ..dashboard import comparison
from ..dashboard import queries as dashboard_queries
from . import queries as evaluate_queries
from .model import Source

_MODULES = {"dashboard": dashboard_queries, "evaluate": evaluate_queries}


def frame(con, src: Source, cache: dict | None = None) -> pd.DataFrame:
    """The rows of a source's query after its step (cached per query + parameters + step)."""
    key = (src.query, src.params, src.step)
    if cache is not None and key in cache:
        return cache[key]
    module, _, name = src.query.partition(".")
    fn = getattr(_MODULES[module], name)
    df = fn(con, **src.kwargs())
    step = src.step
    if step == "funnel":
        df = comparison.funnel(df)
    elif step.startswith("rank:"):
        _, metric, min_den = step.split(":")
        den = df["den"].astype("float64")
        df = comparison.rank(df.assign(value=df["num"].astype("float64") / den.where(den != 0)), metric,
                             min_den=int(min_den), order="worst")
    elif step == "wilson":
        df = comparison.with_intervals(df)
    if cache is not None:
        cache[key] = df
    return df


def _pick(df: pd.DataFrame, row: tuple) -> pd.DataFrame:
    for col, value in row:
        mask = df[col].isna() if value is None else (df[col] == value).fillna(False).astype(bool)
        df = df[mask.to_numpy()]
    return df


def value(con, src: Source, cache: dict | None = None) -> float | None:
    df = _pick(frame(con, src, cache), src.row)
    if src.step == "count" or src.column == "":
        return float(len(df))
    if src.column.startswith("ratio:"):
        key = src.column.split(":", 1)[1]
        num, den = df[f"{key}_num"].astype("float64").sum(), df[f"{key}_den"].astype("float64").sum()
        return float(num / den) if den else None
    if src.column.startswith(("wilson_lo:", "wilson_hi:")):
        side, key = src.column.split(":", 1)
        num, den = df[f"{key}_num"].astype("float64").sum(), df[f"{key}_den"].astype("float64").sum()
        lo, hi = stats.wilson([min(num, den)], [den])
        v = (lo if side == "wilson_lo" else hi)[0]
        return None if math.isnan(v) else float(v)
    if src.column.startswith("sum:"):
        return float(df[src.column.split(":", 1)[1]].astype("float64").sum()) if len(df) else None
    if src.column.startswith("mean:"):
        s = df[src.column.split(":", 1)[1]].astype("float64").dropna()
        return float(s.mean()) if len(s) else None
    if len(df) != 1:
        return None if df.empty else _raise(src, len(df))
    v = df[src.column].iloc[0]
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    return float(v)


def _raise(src: Source, n: int):
    raise ValueError(f"figure source {src.query} {src.row} picks {n} rows")
