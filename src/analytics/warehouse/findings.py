"""Listing findings and recording a reviewer's decision on one (the workflow is in review.py)."""

from __future__ import annotations

import os

from .review import STATUS_ZH, UnknownFinding, transition  # noqa: F401 (UnknownFinding: the old home)
from .store import write_session

STATUSES = tuple(s for s in STATUS_ZH if s != "open")


def decide(path: str | os.PathLike | None, fingerprint: str, status: str, note: str | None = None, *,
           by: str | None = None):
    """One review step on one finding (see ``review.TRANSITIONS``), made by ``by`` (the OS user by
    default). Decisions are keyed by the fingerprint, which stays the same across re-ingest and
    re-check, so they keep applying to the same published contradiction."""
    return transition(path, status, fingerprint=fingerprint, by=by, note=note)


def list_findings(path=None, *, rule=None, agency=None, severity=None, status=None, limit=200) -> list[tuple]:
    from .sqlfiles import read
    from .store import connect_read

    con = connect_read(path)
    try:
        return con.execute(read("findings/list"), {"rule": rule, "agency": agency, "severity": severity,
                                                   "status": status, "limit": int(limit)}).fetchall()
    finally:
        con.close()


def summary(path=None) -> list[tuple]:
    from .sqlfiles import read
    from .store import connect_read

    con = connect_read(path)
    try:
        return con.execute(read("findings/summary")).fetchall()
    finally:
        con.close()


def recheck(path=None) -> None:
    """Rebuild report_wide from the cells and recompute every rule for every agency."""
    from . import wide
    from .refresh import refresh
    from .schema import ensure_schema

    with write_session(path) as con:
        ensure_schema(con)
        wide.rebuild(con)  # recreates the views over report_wide; refresh rebuilds the tables
        refresh(con, None)
