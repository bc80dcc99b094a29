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


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _positions(df: pd.DataFrame, row: tuple, cache: dict | None = None, key: tuple = ()) -> list[int]:
    """The positions of the rows whose columns hold the row's values (None: missing). With a cache,
    through an index of the frame built once: a province's evaluation reads some 20,000 figures
    from a few frames, and filtering the whole frame for each cost minutes."""
    if not row:
        return list(range(len(df)))
    cols = tuple(c for c, _ in row)
    index = cache.get(("index", key, cols)) if cache is not None else None
    if index is None:
        index = {}
        for i, vals in enumerate(df[list(cols)].itertuples(index=False, name=None)):
            index.setdefault(tuple(None if _missing(v) else v for v in vals), []).append(i)
        if cache is not None:
            cache[("index", key, cols)] = index
    return index.get(tuple(v for _, v in row), [])


def _column(df: pd.DataFrame, name: str, pos: list[int]) -> pd.Series:
    return df[name].iloc[pos].astype("float64")


def value(con, src: Source, cache: dict | None = None) -> float | None:
    df = frame(con, src, cache)
    pos = _positions(df, src.row, cache, (src.query, src.params, src.step))
    col = src.column
    if col == "":
        return float(len(pos))
    kind, _, name = col.partition(":") if ":" in col else ("", "", col)
    if kind in ("ratio", "wilson_lo", "wilson_hi"):
        num, den = _column(df, f"{name}_num", pos).sum(), _column(df, f"{name}_den", pos).sum()
        if kind == "ratio":
            return float(num / den) if den else None
        lo, hi = stats.wilson([min(num, den)], [den])
        v = (lo if kind == "wilson_lo" else hi)[0]
        return None if math.isnan(v) else float(v)
    if kind == "sum":
        return float(_column(df, name, pos).sum()) if pos else None
    if kind == "mean":
        s = _column(df, name, pos).dropna()
        return float(s.mean()) if len(s) else None
    if len(pos) != 1:
        return None if not pos else _raise(src, len(pos))
    v = df[name].iloc[pos[0]]
    return None if _missing(v) else float(v)


def _raise(src: Source, n: int):
    raise ValueError(f"figure source {src.query} {src.row} picks {n} rows")
