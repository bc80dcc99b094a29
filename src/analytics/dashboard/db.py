"""The app's DuckDB connection (one per database file version) and its cached query results.

Ingest replaces the warehouse file atomically, so a connection is keyed by the file's inode and
mtime: when a new file has been swapped in, the next run opens it, and cached results of the old
file are never served for the new one.

Reviewers' decisions live in the review store beside it (warehouse/reviewdb): every cursor
registers its newest committed state, and cached results are keyed by the store's version as well.

Every query runs under the signed-in account's region (``auth.region()``): a cursor of a scoped
account reads the warehouse through the views of ``scope.py`` and sees only the decisions on its
agencies' findings, so no query, download or export of the app can see an agency outside it,
whatever its SQL says. Results are cached per region.
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

        self._path = path
        self._con = connect_read(path)
        self._catalog = self._con.execute("SELECT current_database()").fetchone()[0]
        self._scopes: dict[str, tuple[str, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def cursor(self, region: Region | None = None):
        """A cursor of its own; with a region that is not everywhere, one that sees only its agencies."""
        from ..warehouse import reviewdb

        cur = self._con.cursor()
        # Decisions live in the review store and change without a new warehouse file: each cursor
        # gets the newest committed ones (reloaded only when the store's version moved on).
        snap = reviewdb.snapshot(self._path)
        if region is not None and not region.everywhere:
            db, agencies = self._scoped(region)
            scope.enter(cur, db, self._catalog)
            # A registered name shadows every view, the scope's too: register only the region's.
            reviewdb.register(cur, self._path, scope.decisions_of(snap, agencies))
            return cur
        # A cursor starts in the connection's default catalog, not the attached warehouse.
        cur.execute(f'USE "{self._catalog.replace(chr(34), chr(34) * 2)}"')
        reviewdb.register(cur, self._path, snap)
        return cur

    def _scoped(self, region: Region) -> tuple[str, frozenset[str]]:
        """The scope's attached database and its agencies (both fixed for this warehouse file)."""
        key = region.key()
        with self._lock:
            if key not in self._scopes:
                setup = self._con.cursor()
                try:
                    db = scope.create(setup, self._catalog, region)
                    agencies = frozenset(r[0] for r in setup.execute(
                        f"SELECT agency_id FROM {db}.main.scope_agencies").fetchall())
                    self._scopes[key] = (db, agencies)
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
def _cached(path: str, version: tuple, review_version: int, region: Region, name: str,
            params_json: str) -> pd.DataFrame:
    fn, _ = queries.CATALOGUE[name]
    cur = _open(path, version).cursor(region)
    try:
        return fn(cur, **json.loads(params_json))
    finally:
        cur.close()


def query(name: str, **params) -> pd.DataFrame:
    """Run a catalogued query under the session's region (cached per warehouse file version,
    review store version, region and parameters: a reviewer's decision in another session is
    seen by the next query)."""
    from ..warehouse import reviewdb
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
    return _cached(str(path), version, reviewdb.version(path), region, name,
                   json.dumps(params, sort_keys=True, ensure_ascii=False, default=str))
