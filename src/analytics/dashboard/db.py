"""The app's DuckDB connection (one per database file version) and its cached query results.

Ingest replaces the warehouse file atomically, so a connection is keyed by the file's inode and
mtime: when a new file has been swapped in, the next run opens it, and cached results of the old
file are never served for the new one.

Every query runs under the signed-in account's region (``auth.region()``): a cursor of a scoped
account reads the warehouse through the views of ``scope.py``, so no query, download or export
of the app can see an agency outside it, whatever its SQL says. Results are cached per region.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from ..accounts import Region
from . import queries, scope


class NoWarehouse(Exception):
    """The warehouse file does not exist yet."""


def db_path() -> Path:
    env = os.environ.get("ANALYTICS_DB")
    if env:
        return Path(env)
    from ..warehouse import default_db_path

    return Path(default_db_path())


def file_version(path: Path) -> tuple[int, int, int] | None:
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return (st_.st_ino, st_.st_mtime_ns, st_.st_size)


class Reader:
    """One open snapshot shared by every session. Its connection runs no statement after opening:
    sessions run on several threads, and a DuckDB connection serves one statement at a time
    ("connection is busy with another call"), so every query gets a cursor of its own."""

    def __init__(self, path: str):
        from ..warehouse import connect_read

        self._con = connect_read(path)
        self._catalog = self._con.execute("SELECT current_database()").fetchone()[0]
        self._scopes: dict[str, str] = {}
        self._lock = threading.Lock()

    def cursor(self, region: Region | None = None):
        """A cursor of its own; with a region that is not everywhere, one that sees only its agencies."""
        cur = self._con.cursor()
        if region is not None and not region.everywhere:
            scope.enter(cur, self._scoped(region), self._catalog)
            return cur
        # A cursor starts in the connection's default catalog, not the attached warehouse.
        cur.execute(f'USE "{self._catalog.replace(chr(34), chr(34) * 2)}"')
        return cur

    def _scoped(self, region: Region) -> str:
        key = region.key()
        with self._lock:
            if key not in self._scopes:
                setup = self._con.cursor()
                try:
                    self._scopes[key] = scope.create(setup, self._catalog, region)
                finally:
                    setup.close()
            return self._scopes[key]


@st.cache_resource(max_entries=4, show_spinner=False)
def _open(path: str, version: tuple) -> Reader:
    return Reader(path)


def connection():
    path = db_path()
    version = file_version(path)
    if version is None:
        raise NoWarehouse(str(path))
    return _open(str(path), version)


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _cached(path: str, version: tuple, region: Region, name: str, params_json: str) -> pd.DataFrame:
    fn, _ = queries.CATALOGUE[name]
    cur = _open(path, version).cursor(region)
    try:
        return fn(cur, **json.loads(params_json))
    finally:
        cur.close()


def query(name: str, **params) -> pd.DataFrame:
    """Run a catalogued query under the session's region (cached per warehouse file version,
    region and parameters)."""
    from . import auth

    path = db_path()
    version = file_version(path)
    if version is None:
        raise NoWarehouse(str(path))
    region = auth.region()
    if not region.everywhere:
        # The views keep the region whatever the query asks; naming it in the query's own place
        # filter as well lets DuckDB skip the other places' row groups (about 1.5× faster).
        for part in ("province", "city", "county"):
            if part in params and params[part] is None and getattr(region, part):
                params[part] = getattr(region, part)
    return _cached(str(path), version, region, name,
                   json.dumps(params, sort_keys=True, ensure_ascii=False, default=str))
