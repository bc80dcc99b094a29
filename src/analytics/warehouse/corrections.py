"""A reviewer's correction of one published cell: the right value, who entered it and why.

The correction is a warehouse write, not an overlay read at query time: every metric, summary
table, rule and export reads ``cells``/``report_wide``, and an overlay would have to be joined into
each of them. So one write (the usual copy-and-swap, atomic and kill -9 safe) appends the
correction to ``cell_corrections`` (the parsed value, kind and the value in force before are kept
there; ``cells.raw`` keeps the printed text), sets the cell's value, pivots the report's row of
``report_wide`` again and refreshes its agency: the rules re-run for it and the summary rows it
feeds are recomputed (incrementally, see models.build_for). Exports mark corrected cells, reports
and metric rows.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime

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


def correct(path: str | os.PathLike | None, report_id: int, table: str, key: str, value, *, reason: str,
            by: str | None = None) -> Correction:
    """Set one cell of one report to ``value`` (see the module docstring); ``reason`` is required."""
    from .refresh import refresh
    from .review import _check_actor
    from .schema import ensure_schema
    from .store import write_session
    from .transaction import transaction
    from . import wide

    tbl, row, col = cell_address(table, key)
    v = parse_value(value)
    reason = (reason or "").strip()
    if not reason:
        raise BadCorrection("更正须写明原因（--reason）")
    actor = _check_actor(by)
    cell = {"report_id": int(report_id), "tbl": tbl, "row_key": row, "col_key": col}
    with write_session(path) as con:
        ensure_schema(con)
        found = con.execute(read("corrections/cell_of"), cell).fetchall()
        if not found:
            raise BadCorrection(f"没有编号为 {report_id} 的报告")
        agency_id, _, now_value, now_kind, first_parsed, first_kind, n_before, has_cell = found[0]
        before = _n_findings(con, agency_id)
        parsed_value, parsed_kind = (first_parsed, first_kind) if n_before else (now_value, now_kind)
        with transaction(con):
            cid = con.execute(read("corrections/append"), cell | {
                "parsed_value": parsed_value, "parsed_kind": parsed_kind, "previous_value": now_value,
                "value": v, "reason": reason, "actor": actor, "at": datetime.now()}).fetchall()[0][0]
            con.execute(read("corrections/apply_update" if has_cell else "corrections/apply_insert"),
                        cell | {"value": v})
            con.execute(read("corrections/batch_one"), {"report_id": int(report_id)})
            con.execute(read("corrections/wide_delete"))
            wide.insert_batch(con)
        refresh(con, [agency_id])  # the rules of that agency and the summary rows it feeds
        after = _n_findings(con, agency_id)
    return Correction(cid, int(report_id), agency_id, tbl, row, col, parsed_value, now_value, v, before, after)


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
