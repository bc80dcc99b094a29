"""Listing findings and recording a reviewer's decision on one."""

from __future__ import annotations

import os
from datetime import datetime

from ..errors import ReportError
from .store import write_session

STATUSES = ("confirmed", "dismissed")


class UnknownFinding(ReportError):
    reason = "unknown_finding"


def decide(path: str | os.PathLike | None, fingerprint: str, status: str, note: str | None = None) -> None:
    """Confirm or dismiss a finding. Decisions are keyed by the fingerprint, which stays the same
    across re-ingest and re-check, so they keep applying to the same published contradiction."""
    if status not in STATUSES:
        raise ReportError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    from .checks import set_scope
    from .schema import ensure_schema
    from .sqlfiles import read

    with write_session(path) as con:
        ensure_schema(con)
        row = con.execute(read("findings/agency_of"), [fingerprint]).fetchone()
        if row is None and not con.execute(read("findings/decision_exists"), [fingerprint]).fetchone():
            raise UnknownFinding(f"no finding with fingerprint {fingerprint!r}")
        con.execute(read("findings/decide"), [fingerprint, status, note, datetime.now()])
        if row is not None:
            set_scope(con, [row[0]])
            con.execute(read("report_wide_finding_counts"))


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
