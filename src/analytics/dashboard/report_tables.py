"""One report's cells laid out as the official tables (表二、表三、表四), from the long cells table."""

from __future__ import annotations

import pandas as pd

from .. import fields
from .labels import where_zh

KIND_LABELS = {"number": "数字", "blank": "空白", "not_applicable": "不适用", "text": "文字"}


def _shown(cell) -> str:
    """The cell as printed: its raw text, else its number, else empty."""
    raw = cell.get("raw")
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    value = cell.get("value")
    if value is None or value != value:
        return ""
    return f"{value:g}"


def _lookup(cells: pd.DataFrame, tbl: str) -> dict:
    part = cells[cells["tbl"] == tbl]
    return {(r["row_key"], r["col_key"]): r for r in part.to_dict("records")}


def applications_table(cells: pd.DataFrame) -> pd.DataFrame:
    """表三: rows and columns in the template's order, only rows the report has."""
    cell = _lookup(cells, "applications")
    rows = [k for k in fields.APPLICATION_ROWS if any((k, c) in cell for c in fields.APPLICATION_COLS)]
    data = {fields.label("applications_col", c): [_shown(cell.get((r, c), {})) for r in rows]
            for c in fields.APPLICATION_COLS}
    return pd.DataFrame({"项目": [fields.label("applications_row", r) for r in rows], **data})


def review_table(cells: pd.DataFrame) -> pd.DataFrame:
    """表四: one row per group (行政复议, the two kinds of 行政诉讼), five result columns each."""
    cell = _lookup(cells, fields.REVIEW_LITIGATION)
    groups = [g for g in fields.REVIEW_GROUPS if any((g, c) in cell for c in fields.REVIEW_COLS)]
    data = {fields.label("review_col", c): [_shown(cell.get((g, c), {})) for g in groups]
            for c in fields.REVIEW_COLS}
    return pd.DataFrame({"类别": [fields.label("review_group", g) for g in groups], **data})


def active_table(cells: pd.DataFrame) -> pd.DataFrame:
    """表二: 信息内容 rows (规章, 规范性文件, 行政许可 …) by the template's own column headings."""
    cell = _lookup(cells, fields.ACTIVE_DISCLOSURE)
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for f in fields.all_fields():
        if f.table != "active" or (f.key, "value") not in cell:
            continue
        parts = f.label.split("·")
        section, item, column = (parts + ["", "", ""])[:3] if len(parts) >= 3 else (parts[0], parts[-1], "数值")
        rows.setdefault((section, item), {})[column] = _shown(cell[(f.key, "value")])
    out = [{"条款": s, "信息内容": i, **cols} for (s, i), cols in rows.items()]
    return pd.DataFrame(out).fillna("") if out else pd.DataFrame(columns=["条款", "信息内容"])


def cell_sources(cells: pd.DataFrame) -> pd.DataFrame:
    """Every cell with its official row/column names, raw text, reading and source position."""
    tables = {fields.ACTIVE_DISCLOSURE: "表二", fields.APPLICATIONS: "表三", fields.REVIEW_LITIGATION: "表四",
              fields.PROCESSING_FEES: "信息处理费"}

    def row_name(tbl, key):
        table = {fields.ACTIVE_DISCLOSURE: "active", fields.APPLICATIONS: "applications_row",
                 fields.REVIEW_LITIGATION: "review_group", fields.PROCESSING_FEES: "fees"}.get(tbl)
        try:
            return fields.label(table, key)
        except KeyError:
            return key

    def col_name(tbl, key):
        if tbl in (fields.ACTIVE_DISCLOSURE, fields.PROCESSING_FEES):
            return ""
        table = "applications_col" if tbl == "applications" else "review_col"
        try:
            return fields.label(table, key)
        except KeyError:
            return key

    return pd.DataFrame({
        "表": [tables.get(t, t) for t in cells["tbl"]],
        "行": [row_name(t, r) for t, r in zip(cells["tbl"], cells["row_key"])],
        "列": [col_name(t, c) for t, c in zip(cells["tbl"], cells["col_key"])],
        "原文": cells["raw"],
        "读数": cells["value"],
        "类型": cells["kind"].map(KIND_LABELS).fillna(cells["kind"]),
        "来源位置": cells["src"].map(where_zh),
    })
