"""Decisions that an older warehouse kept in its own tables, copied once into the review store.

The warehouse's tables are only read: the log is never rewritten anywhere, and a registered store
table shadows the old one on every connection from then on. What the old schema upgrades did in
place is done to the copy: the table names of NEGATIVE/NOT_INTEGER subjects (``active:`` →
``active_disclosure:``, ``review:`` → ``review_litigation:``), the finding's place for decisions
written before it was kept, and one logged step ``open → status`` by ``未记录`` for each decision
written before the log existed.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..sqlfiles import read
from . import sql, stamp

UNRECORDED = "未记录"
_RENAMES = [(re.compile(r"^((?:NEGATIVE|NOT_INTEGER)\|.*\|)active:([^|]*)$"), r"\1active_disclosure:\2"),
            (re.compile(r"^((?:NEGATIVE|NOT_INTEGER)\|.*\|)review:([^|]*)$"), r"\1review_litigation:\2")]


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute(read("review/legacy_tables")).fetchall()}


def has_tables(con) -> bool:
    return "finding_decisions" in _tables(con)


def _rows(con, table: str) -> list[dict]:
    cur = con.execute(read(f"review/legacy_{table}"))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def renamed(fp: str) -> str:
    for pattern, repl in _RENAMES:
        fp = pattern.sub(repl, fp)
    return fp


def _when(v) -> str:
    return stamp(v) if isinstance(v, datetime) else str(v or stamp(datetime.now()))


def copy(con, sq) -> None:
    """Copy every decision and logged step of the warehouse on ``con`` into the store ``sq``."""
    tables = _tables(con)
    decisions = _rows(con, "decisions")
    places = {r[0]: r[1:] for r in con.execute(read("review/legacy_places")).fetchall()}
    for d in decisions:
        d["fingerprint"] = renamed(d["fingerprint"])
        if d.get("finding_agency") is None:
            fp = d["fingerprint"]
            parts = fp.split("|")
            agency, year, rule, report_id = places.get(fp) or (
                parts[1] if len(parts) > 1 else None,
                int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None, parts[0], None)
            d.update(finding_agency=agency, finding_year=year, finding_rule=rule, seen_report_id=report_id)
        sq.execute(sql("decision_upsert"), {
            "fingerprint": d["fingerprint"], "to_status": d["status"], "note": d.get("note"),
            "at": _when(d.get("decided_at")), "actor": d.get("actor") or UNRECORDED,
            "agency_id": d.get("finding_agency"), "year": d.get("finding_year"), "rule": d.get("finding_rule"),
            "report_id": d.get("seen_report_id")})
    logged = set()
    if "finding_decision_log" in tables:
        for step in _rows(con, "log"):
            step["fingerprint"] = renamed(step["fingerprint"])
            logged.add(step["fingerprint"])
            sq.execute(sql("log_insert_migrated"), step | {"at": _when(step.get("at"))})
    first = sorted((d for d in decisions if d["fingerprint"] not in logged),
                   key=lambda d: (_when(d.get("decided_at")), d["fingerprint"]))
    for d in first:
        sq.execute(sql("log_append"), {"fingerprint": d["fingerprint"], "from_status": "open",
                                       "to_status": d["status"], "actor": UNRECORDED, "note": d.get("note"),
                                       "at": _when(d.get("decided_at"))})
