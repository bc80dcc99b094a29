"""The review of findings: the statuses a decision goes through, who made each step, and the
append-only log of every step.

A finding starts 待确认 (open). A reviewer confirms or dismisses it; a confirmed one is sent to its
agency in a rectification notice (已通知), the agency corrects it (已整改), and the office either
accepts the correction (复核通过, final) or returns it (退回), which puts the finding back where a
confirmed one is: it can be notified again. A dismissal can be reversed into a confirmation.
``TRANSITIONS`` is the only list of allowed steps; anything else is refused with a Chinese message.

Each step appends one row to ``finding_decision_log`` and replaces the finding's row in
``finding_decisions`` (its current status) in the same transaction of the review store beside the
warehouse (``reviewdb``: SQLite, so a step never copies the warehouse file; the findings it
applies to are read from the published warehouse). Nothing updates or deletes a
log row. Decisions are keyed by the finding's fingerprint ``rule|agency|year|subject``, which
leaves the report version out: a decision follows its finding onto a newer version of the same
report. When a newer version no longer has the problem, ``after_checks`` closes the finding as
已整改 with the actor ``system`` and a note naming the new report.
"""

from __future__ import annotations

import csv
import getpass
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from ..errors import ReportError
from . import reviewdb
from .sqlfiles import read
from .store import connect_read, default_db_path

STATUS_ZH = {
    "open": "待确认",
    "confirmed": "已确认",
    "dismissed": "已驳回",
    "notified": "已通知",
    "rectified": "已整改",
    "verified": "复核通过",
    "returned": "退回",
}
_CONFIRMED_NEXT = ("notified", "dismissed")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("confirmed", "dismissed"),
    "confirmed": _CONFIRMED_NEXT,
    "dismissed": ("confirmed",),
    "notified": ("rectified",),
    "rectified": ("verified", "returned"),
    "returned": _CONFIRMED_NEXT,  # returned means back to confirmed: the same steps follow
    "verified": (),
}
# Findings the agency still has to act on: the ones a notice lists and a corrected report closes.
ACTIVE = ("confirmed", "notified", "returned")
SYSTEM = "system"
LOCAL_USER = "本机用户"
LOG_COLUMNS = ("log_id", "fingerprint", "agency", "year", "rule", "from_status", "to_status", "actor", "note", "at")
LOG_HEADER_ZH = ("序号", "指纹", "机构", "年度", "规则", "原状态", "新状态", "操作人", "备注", "时间")



class UnknownFinding(ReportError):
    reason = "unknown_finding"


class ForbiddenStep(ReportError):
    reason = "forbidden_step"


def default_actor() -> str:
    """The OS user name, or 本机用户 when the system cannot say."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        name = ""
    return name.strip() or LOCAL_USER


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def step_problem(from_status: str, to_status: str) -> str | None:
    """Why ``from_status → to_status`` is not allowed (Chinese), or None when it is."""
    if to_status in TRANSITIONS.get(from_status, ()):
        return None
    here, there = STATUS_ZH.get(from_status, from_status), STATUS_ZH.get(to_status, to_status)
    if from_status == to_status:
        return f"该发现已是“{here}”状态"
    nexts = TRANSITIONS.get(from_status, ())
    if not nexts:
        return f"“{here}”是最终状态，不能再改为“{there}”"
    return (f"不能把“{here}”的发现直接改为“{there}”：“{here}”之后只能改为"
            + "、".join(f"“{STATUS_ZH[s]}”" for s in nexts))


def _check_target(to_status: str) -> None:
    if to_status not in STATUS_ZH or to_status == "open":
        targets = [s for s in STATUS_ZH if s != "open"]
        raise ReportError(f"状态只能是{'、'.join(f'{STATUS_ZH[s]}（{s}）' for s in targets)}，不能是 {to_status!r}")


def _check_actor(actor: str | None) -> str:
    actor = (actor or "").strip() or default_actor()
    if actor == SYSTEM:
        raise ReportError(f"操作人“{SYSTEM}”保留给系统自动记录，请用 --by 写明姓名")
    return actor


@dataclass
class Outcome:
    """What one step applied: the fingerprints changed, and those left alone per current status."""

    to_status: str
    changed: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def summary_zh(self) -> str:
        text = f"已将 {len(self.changed)} 条发现改为“{STATUS_ZH[self.to_status]}”"
        if self.skipped:
            text += "；跳过 " + "、".join(f"{STATUS_ZH.get(s, s)} {n} 条" for s, n in sorted(self.skipped.items())) \
                + "（当前状态不允许这一步）"
        return text


def transition(path: str | os.PathLike | None, to_status: str, *, fingerprint: str | None = None,
               fingerprints: list[str] | None = None, rule: str | None = None, agency: str | None = None,
               severity: str | None = None, year: int | None = None, from_status: str | None = None,
               by: str | None = None, note: str | None = None, notes: dict[str, str] | None = None) -> Outcome:
    """Move one finding (``fingerprint``) or every finding matching the filters (or listed in
    ``fingerprints``) to ``to_status``, in one write; ``notes`` gives some findings their own note.
    A single finding whose status does not allow the step is refused; in a bulk step such findings
    are left as they are and counted in ``skipped`` (refused when none is left).
    """
    _check_target(to_status)
    actor = _check_actor(by)
    bulk = fingerprint is None
    if bulk and not any(v is not None for v in (fingerprints, rule, agency, severity, year, from_status)):
        raise ReportError("批量变更至少需要一个筛选条件（规则、机构、级别、年度或当前状态）")
    if from_status is not None and from_status not in STATUS_ZH:
        raise ReportError(f"未知的当前状态 {from_status!r}")
    params = {"fingerprint": fingerprint, "fingerprints": None if fingerprints is None else list(fingerprints),
              "rule": rule, "agency": agency, "severity": severity,
              "year": None if year is None else int(year), "from_status": from_status}
    db = Path(path) if path else default_db_path()
    cur = _reader(db)  # the findings: a read of the published warehouse, never a copy of it
    try:
        matched = cur.execute(read("findings/match"), params).fetchall()
        # what a warehouse write queued for the store, read here so the store's lock is held briefly
        outbox = reviewdb.outbox_of(cur)
    finally:
        cur.close()
    if not matched:
        if bulk:
            raise UnknownFinding("没有符合条件的发现")
        raise UnknownFinding(f"没有指纹为 {fingerprint!r} 的发现")
    outcome = Outcome(to_status)
    with reviewdb.writing(db, outbox=outbox) as sq:
        # The statuses that count are the store's under its write lock: another reviewer may
        # have moved a finding since the read above.
        now = reviewdb.statuses(sq, [m[0] for m in matched])
        rows = []
        for fp, _, agency_id, yr, rl, report_id in matched:
            status = now[fp]
            problem = step_problem(status, to_status)
            if problem:
                if not bulk:
                    raise ForbiddenStep(problem)
                outcome.skipped[status] = outcome.skipped.get(status, 0) + 1
                continue
            rows.append({"fingerprint": fp, "from_status": status, "to_status": to_status, "actor": actor,
                         "note": (notes or {}).get(fp, note), "agency_id": agency_id, "year": yr, "rule": rl,
                         "report_id": report_id})
        if not rows:
            first = next(iter(outcome.skipped))
            raise ForbiddenStep(f"符合条件的 {len(matched)} 条发现都不能改为“{STATUS_ZH[to_status]}”"
                                f"（例如：{step_problem(first, to_status)}）")
        reviewdb.apply_steps(sq, rows, datetime.now())
    outcome.changed = [r["fingerprint"] for r in rows]
    return outcome


_READERS: dict[str, tuple] = {}
_READERS_LOCK = threading.Lock()


def _reader(db: Path):
    """A cursor on this process's read connection to the published warehouse, with the review
    store registered: opened once per published file, so that a reviewer's next step neither
    attaches the file again nor starts from a cold cache."""
    from .store import snapshot_token

    key, token = str(db.resolve()), snapshot_token(db)
    with _READERS_LOCK:
        entry = _READERS.get(key)
        if entry is None or entry[0] != token or token is None:
            # the old connection is dropped, not closed: another thread may still read through it
            con = connect_read(db)
            entry = (snapshot_token(db), con, con.execute("SELECT current_database()").fetchall()[0][0])
            _READERS[key] = entry
        cur = entry[1].cursor()
    cur.execute(f'USE "{entry[2].replace(chr(34), chr(34) * 2)}"')
    reviewdb.register(cur, db)
    return cur


_OUTBOX_SCHEMA = pa.schema([("kind", pa.string()), ("fingerprint", pa.string()), ("from_status", pa.string()),
                            ("to_status", pa.string()), ("actor", pa.string()), ("note", pa.string()),
                            ("agency_id", pa.string()), ("year", pa.int32()), ("rule", pa.string()),
                            ("report_id", pa.int64())])


def after_checks(con) -> int:
    """After the findings of the agencies in ``_scope`` were recomputed (inside the refresh's
    transaction): decisions move onto the report version their finding is now on, and findings
    that a corrected republished report no longer has become 已整改. Both are queued in the
    warehouse's ``review_outbox`` and reach the review store once the warehouse is published
    (see reviewdb). Returns how many closed."""
    from .store import session_target

    target = session_target(con)  # None outside a write session (a test's own connection)
    snap = reviewdb.register(con, target) if target else None
    try:
        if snap is None or snap.decisions.num_rows == 0:
            return 0
        follows = con.execute(read("review/follow_pairs")).fetchall()
        closed = con.execute(read("findings/closed_by_new_version"), {"statuses": list(ACTIVE)}).fetchall()
    finally:
        if snap is not None:
            con.unregister("finding_decisions")
            con.unregister("finding_decision_log")
    rows = [{"kind": "follow", "fingerprint": fp, "report_id": rid} for fp, rid in follows]
    for fp, status, agency_id, year, rule, report_id, source_path, loaded_at, agency_name in closed:
        source = Path(source_path).name if source_path else f"版本 {report_id}"
        when = f"，{loaded_at:%Y-%m-%d} 载入" if loaded_at else ""
        rows.append({"kind": "step", "fingerprint": fp, "from_status": status, "to_status": "rectified",
                     "actor": SYSTEM,
                     "note": f"{agency_name}{year}年度报告已更正重发（{source}，报告编号 {report_id}{when}），"
                             f"新版本中已无此问题，自动记为已整改",
                     "agency_id": agency_id, "year": year, "rule": rule, "report_id": report_id})
    if rows:
        con.register("_outbox_df", pa.Table.from_pylist(rows, schema=_OUTBOX_SCHEMA))
        try:
            con.execute(read("review/outbox_append"), {"at": datetime.now()})
        finally:
            con.unregister("_outbox_df")
        from .store import queued_review_steps

        queued_review_steps(con)
    return len(closed)


def _read(path, name: str, params) -> list[tuple]:
    con = connect_read(path)
    try:
        return con.execute(read(name), params).fetchall()
    finally:
        con.close()


def history(path, fingerprint: str) -> list[tuple]:
    """The steps of one finding's decision, oldest first: (log_id, from, to, actor, note, at)."""
    return _read(path, "findings/history", {"fingerprint": fingerprint})


def audit_log(path=None) -> list[tuple]:
    """Every logged step, in order, as rows of ``LOG_COLUMNS``."""
    return _read(path, "findings/log_export", [])


def log_csv_rows(rows: list[tuple]):
    """The log as CSV rows: a Chinese header, statuses in Chinese, text cells safe for spreadsheets."""
    from .cell_safety import cell

    yield LOG_HEADER_ZH
    for r in rows:
        values = dict(zip(LOG_COLUMNS, r))
        values["from_status"] = STATUS_ZH.get(values["from_status"], values["from_status"])
        values["to_status"] = STATUS_ZH.get(values["to_status"], values["to_status"])
        values["at"] = values["at"].isoformat(sep=" ", timespec="seconds") if values["at"] else ""
        yield [cell(v) if v is not None else "" for v in values.values()]


def write_log_csv(rows: list[tuple], fh) -> None:
    writer = csv.writer(fh)
    for row in log_csv_rows(rows):
        writer.writerow(row)
