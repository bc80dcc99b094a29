"""The app's DuckDB connection (one per database file version) and its cached query results.

Ingest replaces the warehouse file atomically, so a connection is keyed by the file's inode and
mtime: when a new file has been swapped in, the next run opens it, and cached results of the old
file are never served for the new one. Reviewers' decisions live in the review store beside it
(warehouse/reviewdb): every cursor registers its newest committed state, and cached results are
keyed by the store's version as well.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from . import queries


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

    def cursor(self):
        from ..warehouse import reviewdb

        cur = self._con.cursor()
        # A cursor starts in the connection's default catalog, not the attached warehouse.
        cur.execute(f'USE "{self._catalog.replace(chr(34), chr(34) * 2)}"')
        # Decisions live in the review store and change without a new warehouse file: each cursor
        # gets the newest committed ones (reloaded only when the store's version moved on).
        reviewdb.register(cur, self._path)
        return cur


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
def _cached(path: str, version: tuple, review_version: int, name: str, params_json: str) -> pd.DataFrame:
    fn, _ = queries.CATALOGUE[name]
    cur = _open(path, version).cursor()
    try:
        return fn(cur, **json.loads(params_json))
    finally:
        cur.close()


def query(name: str, **params) -> pd.DataFrame:
    """Run a catalogued query (cached per warehouse file version, review store version and
    parameters: a reviewer's decision in another session is seen by the next query)."""
    from ..warehouse import reviewdb

    path = db_path()
    version = file_version(path)
    if version is None:
        raise NoWarehouse(str(path))
    return _cached(str(path), version, reviewdb.version(path), name,
                   json.dumps(params, sort_keys=True, ensure_ascii=False, default=str))
