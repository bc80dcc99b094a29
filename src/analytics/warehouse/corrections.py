"""A reviewer's correction of one published cell: the right value, who entered it and why.

Entering a correction is one short write of the review store (``record``), so every session sees
it at once: the report page shows the corrected cell, marked as waiting, within a query. Applying
it is a warehouse write, not an overlay read at query time, because every metric, summary table,
rule and export reads ``cells``/``report_wide`` and an overlay would have to be joined into each
of them. Every warehouse write (a load, ``check``, ``apply_pending`` itself) applies the waiting
corrections first, in the order they were entered (``apply_queued``): it appends each to
``cell_corrections`` with its queue id (the parsed value, kind and the value in force before are
kept there; ``cells.raw`` keeps the printed text), sets the cell's value, pivots the reports'
rows of ``report_wide`` again and refreshes their agencies (rules and the summary rows they feed,
incrementally, see models.build_for). The last queue id taken is kept in ``warehouse_meta`` in the
same transaction and says where the queue resumes, so a writer killed at any point applies
nothing twice and loses nothing.
Exports mark corrected cells, reports and metric rows.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import fields as F
from ..errors import ReportError
from .sqlfiles import read

TABLE_NAMES = {
    "active_disclosure": "active_disclosure", "表二": "active_disclosure", "active": "active_disclosure",
    "applications": "applications", "表三": "applications",
    "review_litigation": "review_litigation", "表四": "review_litigation", "review": "review_litigation",
}
TABLE_ZH = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}
LIST_COLUMNS = ("correction_id", "report_id", "agency", "year", "tbl", "row_key", "col_key", "parsed_value",
                "previous_value", "value", "reason", "actor", "at")


class BadCorrection(ReportError):
    reason = "bad_correction"


@dataclass
class Correction:
    correction_id: int
    report_id: int
    agency_id: str
    tbl: str
    row_key: str
    col_key: str
    parsed_value: float | None
    previous_value: float | None
    value: float
    findings_before: int
    findings_after: int
    queue_id: int | None = None

    def summary_zh(self) -> str:
        def show(v):
            return "空" if v is None else f"{v:g}"

        return (f"已更正报告 {self.report_id}（{self.agency_id}）{TABLE_ZH[self.tbl]} {self.row_key}:{self.col_key}："
                f"{show(self.previous_value)} → {show(self.value)}（解析值 {show(self.parsed_value)} 已保留）；"
                f"该机构的规则已重新检查，发现 {self.findings_before} → {self.findings_after} 条")


def cell_address(table: str, key: str) -> tuple[str, str, str]:
    """(tbl, row_key, col_key) of ``TABLE KEY``: 表三 ``row:col``, 表四 ``group:col``, 表二 ``key``."""
    tbl = TABLE_NAMES.get(table.strip())
    if tbl is None:
        raise BadCorrection(f"表格只能是 表二/active_disclosure、表三/applications 或 表四/review_litigation，"
                            f"不能是 {table!r}")
    parts = [p.strip() for p in key.replace(".", ":").split(":")]
    if tbl == "active_disclosure":
        row, col = (parts[0], "value") if len(parts) == 1 else (parts[0], parts[1])
        rows, cols = F.ACTIVE_KEYS, ["value"]
    elif tbl == "applications":
        rows, cols = F.APPLICATION_ROWS, F.APPLICATION_COLS
        row, col = (parts + [""])[:2]
    else:
        rows, cols = F.REVIEW_GROUPS, F.REVIEW_COLS
        row, col = (parts + [""])[:2]
    if row not in rows or col not in cols or len(parts) > 2:
        raise BadCorrection(f"{TABLE_ZH[tbl]}没有单元格 {key!r}：行须是 {'、'.join(rows[:4])} 等"
                            + (f"，列须是 {'、'.join(cols)}" if len(cols) > 1 else ""))
    return tbl, row, col


def parse_value(value) -> float:
    try:
        v = float(str(value).strip().replace(",", ""))
    except ValueError:
        raise BadCorrection(f"更正值须是数字，不能是 {value!r}") from None
    if not math.isfinite(v) or abs(v) > 2**53:
        raise BadCorrection(f"更正值 {value!r} 超出可保存的范围")
    return v


@dataclass
class Queued:
    """A correction entered in the review store and not yet applied to the warehouse."""

    queue_id: int
    report_id: int
    agency_id: str
    tbl: str
    row_key: str
    col_key: str
    value: float

    def summary_zh(self) -> str:
        return (f"已记录对报告 {self.report_id}（{self.agency_id}）{TABLE_ZH[self.tbl]} {self.row_key}:{self.col_key} "
                f"的更正（{self.value:g}），所有人已可见；指标和检查将在下一次写入数据仓库时重新计算")


def _target(path) -> Path:
    from .store import default_db_path

    return Path(path) if path else default_db_path()


def record(path: str | os.PathLike | None, report_id: int, table: str, key: str, value, *, reason: str,
           by: str | None = None) -> Queued:
    """Enter a correction of one cell (one review-store write; ``reason`` is required). It is seen
    by every reader at once and applied by the next warehouse write (``apply_pending``)."""
    from . import reviewdb
    from .review import _check_actor
    from .store import connect_read

    tbl, row, col = cell_address(table, key)
    v = parse_value(value)
    reason = (reason or "").strip()
    if not reason:
        raise BadCorrection("更正须写明原因（--reason）")
    actor = _check_actor(by)
    target = _target(path)
    cell = {"report_id": int(report_id), "tbl": tbl, "row_key": row, "col_key": col}
    con = connect_read(target)
    try:
        found = con.execute(read("corrections/report_agency"), {"report_id": int(report_id)}).fetchall()
        warehouse_id, _ = _queue_position(con)
        outbox = reviewdb.outbox_of(con)  # read here: the store would attach the file again (~0.1 s)
    finally:
        con.close()
    if not found:
        raise BadCorrection(f"没有编号为 {report_id} 的报告")
    agency_id = found[0][0]
    with reviewdb.writing(target, outbox=outbox) as sq:
        qid = reviewdb.queue_correction(sq, cell | {
            "warehouse_id": warehouse_id, "agency_id": agency_id, "value": v, "reason": reason,
            "actor": actor, "at": datetime.now()})
    return Queued(qid, int(report_id), agency_id, tbl, row, col, v)


def _queue_position(con) -> tuple[str | None, int]:
    import duckdb

    try:
        wh_id, after = con.execute(read("corrections/queue_position")).fetchall()[0]
    except duckdb.CatalogException:
        return None, 0  # a warehouse this session has not given its schema
    except duckdb.BinderException:
        return None, 0  # cell_corrections of an older schema: ensure_schema adds queue_id
    return wh_id, int(after)


def apply_queued(con, target: str | os.PathLike) -> list[Correction]:
    """Inside a write session: apply every correction of the review store that this warehouse has
    not applied yet, in the order entered, and refresh their agencies."""
    from . import reviewdb, wide
    from .refresh import refresh
    from .transaction import transaction

    wh_id, after = _queue_position(con)
    if wh_id is None:
        return []
    queued = reviewdb.corrections_after(target, wh_id, after)
    if not queued:
        return []
    before = {a: _n_findings(con, a) for a in {q["agency_id"] for q in queued}}
    steps = []
    with transaction(con):
        for q in queued:
            cell = {k: q[k] for k in ("report_id", "tbl", "row_key", "col_key")}
            found = con.execute(read("corrections/cell_of"), cell).fetchall()
            if not found or found[0][0] != q["agency_id"]:
                # Not this report: a file copied from another keeps its id, never its report ids.
                continue
            agency_id, _, now_value, now_kind, first_parsed, first_kind, n_before, has_cell = found[0]
            parsed_value, parsed_kind = (first_parsed, first_kind) if n_before else (now_value, now_kind)
            cid = con.execute(read("corrections/append"), cell | {
                "parsed_value": parsed_value, "parsed_kind": parsed_kind, "previous_value": now_value,
                "value": q["value"], "reason": q["reason"], "actor": q["actor"], "at": q["at"],
                "queue_id": q["queue_id"]}).fetchall()[0][0]
            con.execute(read("corrections/apply_update" if has_cell else "corrections/apply_insert"),
                        cell | {"value": q["value"]})
            steps.append((q, cid, agency_id, parsed_value, now_value))
        con.execute(read("corrections/queue_advance"), {"queue_id": queued[-1]["queue_id"]})
        if not steps:
            return []
        con.execute(read("corrections/batch_many"), {"report_ids": sorted({q["report_id"] for q, *_ in steps})})
        con.execute(read("corrections/wide_delete"))
        wide.insert_batch(con)
    # The rules of the agencies corrected and the summary rows they feed (a row passed over
    # changed nothing of its agency).
    agencies = sorted({agency_id for _, _, agency_id, *_ in steps})
    refresh(con, agencies)
    after_n = {a: _n_findings(con, a) for a in agencies}
    return [Correction(cid, q["report_id"], agency_id, q["tbl"], q["row_key"], q["col_key"], parsed, prev,
                       q["value"], before[agency_id], after_n[agency_id], q["queue_id"])
            for q, cid, agency_id, parsed, prev in steps]


def pending(path: str | os.PathLike | None = None) -> int:
    """How many entered corrections the published warehouse has not applied yet."""
    from . import reviewdb
    from .store import connect_read

    target = _target(path)
    if not reviewdb.store_path(target).exists() or not target.exists():
        return 0
    con = connect_read(target)
    try:
        wh_id, after = _queue_position(con)
    finally:
        con.close()
    return len(reviewdb.corrections_after(target, wh_id, after)) if wh_id else 0


def apply_pending(path: str | os.PathLike | None = None) -> list[Correction]:
    """Apply the waiting corrections now (one warehouse write; nothing is written when none wait)."""
    from .schema import ensure_schema
    from .store import write_session

    target = _target(path)
    if not pending(target):
        return []
    with write_session(target) as con:
        ensure_schema(con)
        return apply_queued(con, target)


def correct(path: str | os.PathLike | None, report_id: int, table: str, key: str, value, *, reason: str,
            by: str | None = None) -> Correction:
    """Enter a correction of one cell and apply it at once (see the module docstring)."""
    queued = record(path, report_id, table, key, value, reason=reason, by=by)
    for done in apply_pending(path):
        if done.queue_id == queued.queue_id:
            return done
    return applied(path, queued)


def applied(path, queued: Queued) -> Correction:
    """The warehouse's record of a correction another writer applied (its findings as they are now)."""
    from .store import connect_read

    con = connect_read(_target(path))
    try:
        rows = con.execute(read("corrections/of_queue"), {"queue_ids": [queued.queue_id]}).fetchall()
        if not rows:
            raise BadCorrection(f"更正已记录（编号 {queued.queue_id}），但尚未应用到数据仓库")
        _, cid, rid, agency_id, tbl, row, col, parsed, prev, value = rows[0]
        n = _n_findings(con, agency_id)
    finally:
        con.close()
    return Correction(cid, rid, agency_id, tbl, row, col, parsed, prev, value, n, n, queued.queue_id)


def _n_findings(con, agency_id: str) -> int:
    return con.execute(read("corrections/n_findings"), [agency_id]).fetchall()[0][0]


def list_corrections(path=None, report_id: int | None = None) -> list[tuple]:
    """Every correction (of one report), oldest first, as rows of ``LIST_COLUMNS``."""
    from .store import connect_read

    con = connect_read(path)
    try:
        return con.execute(read("corrections/list"),
                           {"report_id": None if report_id is None else int(report_id)}).fetchall()
    finally:
        con.close()
