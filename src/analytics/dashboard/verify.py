"""Checking a finding against the report: the cells its rule added up, and its arithmetic written out.

A table rule compares two sums of one report's cells (T3_FLOW: 新收 + 上年结转 against 办结 +
结转下年, per column); ``terms`` names those cells from the rule and the finding's subject, the
same cells the rule's SQL reads, so a reviewer sees what was added and can check each number
against the report's own table and the text it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fields

HIGHLIGHT_LEFT = "background-color: #fde2a6"   # the sum the rule computed
HIGHLIGHT_RIGHT = "background-color: #f7b2b2"  # the figure it compares with

_OUTCOMES = [r for r in fields.APPLICATION_ROWS
             if r in ("granted", "partially_granted") or r.startswith(("denied_", "unable_", "refused_"))]
_OTHER_PARTS = ["other_no_correction", "other_no_fee", "other_misc"]
_APPLICANTS = [c for c in fields.APPLICATION_COLS if c != "total"]
_RESULTS = [c for c in fields.REVIEW_COLS if c != "total"]

Key = tuple[str, str, str]  # (tbl, row_key, col_key)


@dataclass(frozen=True)
class Terms:
    """Two sides of a rule's equation over cells of one report; a side of one cell is that cell."""

    left: tuple[Key, ...]
    right: tuple[Key, ...]
    left_name: str
    right_name: str


def terms(rule: str, subject: str | None, cells: pd.DataFrame) -> Terms | None:
    """The cells the rule compared for this finding; None for rules over several reports or text."""
    present = set(zip(cells["tbl"], cells["row_key"], cells["col_key"]))
    app, rl = fields.APPLICATIONS, fields.REVIEW_LITIGATION
    s = subject or ""
    if rule == "T3_FLOW":
        return Terms(((app, "new_received", s), (app, "carried_over", s)),
                     ((app, "total_processed", s), (app, "carried_forward", s)), "新收 + 上年结转", "办结 + 结转下年")
    if rule == "T3_OUTCOME_SUM":
        other = [r for r in _OTHER_PARTS if (app, r, s) in present] or ["other_total"]
        return Terms(tuple((app, r, s) for r in _OUTCOMES + other), ((app, "total_processed", s),),
                     "办理结果各项之和", "办理结果总计")
    if rule in ("T3_COLUMN_SUM", "T3_BLANK_TOTAL"):
        return Terms(tuple((app, s, c) for c in _APPLICANTS), ((app, s, "total"),), "六类申请人之和", "总计")
    if rule == "T4_GROUP_SUM":
        return Terms(tuple((rl, s, c) for c in _RESULTS), ((rl, s, "total"),), "维持、纠正、其他、未审结之和", "总计")
    if rule in ("NEGATIVE", "NOT_INTEGER") and s.count(":") >= 2:
        tbl, row, col = s.split(":", 2)
        return Terms(((tbl, row, col),), (), "该单元格", "")
    return None


def _read(cells: pd.DataFrame, key: Key):
    hit = cells[(cells["tbl"] == key[0]) & (cells["row_key"] == key[1]) & (cells["col_key"] == key[2])]
    if hit.empty:
        return None
    v = hit.iloc[0]["value"]
    return None if v is None or v != v else float(v)


def _value(cells: pd.DataFrame, key: Key) -> tuple[float | None, bool]:
    """A cell's number as the rules read it, and whether it was derived: a blank 总计 of table 3
    counts as the sum of its row's applicant columns (checks/app_cells.sql does the same)."""
    v = _read(cells, key)
    tbl, row, col = key
    if v is None and tbl == fields.APPLICATIONS and col == "total":
        parts = [p for p in (_read(cells, (tbl, row, c)) for c in _APPLICANTS) if p is not None]
        if parts:
            return sum(parts), True
    return v, False


def _num(v) -> str:
    if v is None:
        return "空"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def cell_name(key: Key) -> str:
    tbl, row, col = key
    if tbl == fields.APPLICATIONS:
        return f"{fields.label('applications_row', row)}·{fields.label('applications_col', col)}"
    if tbl == fields.REVIEW_LITIGATION:
        return f"{fields.label('review_group', row)}·{fields.label('review_col', col)}"
    try:
        return fields.label("active", row)
    except KeyError:
        return row


def arithmetic(t: Terms, cells: pd.DataFrame) -> list[str]:
    """The rule's sums with the report's numbers, one line a side, e.g.
    ``新收 + 上年结转：新收（总计）20 + 上年结转（总计）2 = 22``. Cells the report left empty
    (or did not print) count as 0, as in the rule."""
    lines = []
    for side, name in ((t.left, t.left_name), (t.right, t.right_name)):
        if not side:
            continue
        read = [_value(cells, k) for k in side]
        values = [v for v, _ in read]
        shown = [(k, v, derived) for k, (v, derived) in zip(side, read) if v is not None]
        total = sum(v for _, v, _ in shown)

        def term(k, v, derived):
            return f"{cell_name(k)} {_num(v)}" + ("（空白，按各类申请人之和计）" if derived else "")

        if len(side) == 1:
            derived = read[0][1]
            lines.append(f"{name}：{cell_name(side[0])} = {_num(values[0])}"
                         + ("（空白，按各类申请人之和计）" if derived else ""))
        else:
            terms_ = " + ".join(term(*x) for x in shown) or "（全部为空）"
            n_blank = len(side) - len(shown)
            blank = f"（另有 {n_blank} 项为空，按 0 计）" if n_blank else ""
            lines.append(f"{name}：{terms_} = {_num(total)}{blank}")
    return lines


def used_cells(t: Terms, cells: pd.DataFrame) -> pd.DataFrame:
    """The rule's cells as the report has them: which side, the official names, raw text, reading
    and where in the document it was read (rows the report does not have are listed as absent)."""
    from .labels import where_zh

    rows = []
    for side, keys in (("求和项", t.left), ("比较项", t.right)):
        for k in keys:
            hit = cells[(cells["tbl"] == k[0]) & (cells["row_key"] == k[1]) & (cells["col_key"] == k[2])]
            c = hit.iloc[0] if not hit.empty else None
            rows.append({"side": side, "cell": cell_name(k),
                         "raw": None if c is None else c["raw"],
                         "value": None if c is None else c["value"],
                         "where": "报告中没有该单元格" if c is None else where_zh(c["src"])})
    return pd.DataFrame(rows, columns=["side", "cell", "raw", "value", "where"])


def highlight(frame: pd.DataFrame, tbl: str, t: Terms):
    """The official table (from report_tables) with the rule's cells coloured: a Styler."""
    if tbl == fields.APPLICATIONS:
        rows = {fields.label("applications_row", r): r for r in fields.APPLICATION_ROWS}
        cols = {fields.label("applications_col", c): c for c in fields.APPLICATION_COLS}
        first = "项目"
    else:
        rows = {fields.label("review_group", g): g for g in fields.REVIEW_GROUPS}
        cols = {fields.label("review_col", c): c for c in fields.REVIEW_COLS}
        first = "类别"
    left = {(r, c) for tb, r, c in t.left if tb == tbl}
    right = {(r, c) for tb, r, c in t.right if tb == tbl}

    def colour(row: pd.Series) -> list[str]:
        r = rows.get(row[first])
        out = []
        for name in row.index:
            c = cols.get(name)
            out.append(HIGHLIGHT_LEFT if (r, c) in left else HIGHLIGHT_RIGHT if (r, c) in right else "")
        return out

    return frame.style.apply(colour, axis=1)


def tables_of(t: Terms) -> list[str]:
    return sorted({k[0] for k in t.left + t.right})
