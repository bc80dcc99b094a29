"""The custom report (自定义报表): which figures a user may pick, the table with its subtotals and
grand total, and its CSV and XLSX files with a data dictionary.

A field is a ``report_wide`` column named from fields.csv (table 2 ``ad_<key>``, table 3's 总计
column ``a_<row>`` and new applications by applicant ``nr_<col>``, table 4 ``rv_/ld_/la_<col>``);
a metric comes from the registry with its numerator and denominator. Every total is a sum of the
rows shown: a field's total is the sum of its cells (blank cells are not 0, a total of blanks
only is blank), and a rate's total is Σnum / Σden of the same rows, never an average of rates.
No Streamlit here: the page draws what these functions return, and tests call them directly.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from .. import fields
from ..metrics import METRICS
from ..warehouse import cell_safety
from .filters import KINDS, LEVELS

# Table 4's groups as report_wide prefixes them.
_REVIEW_PREFIX = {"review": "rv", "litigation_direct": "ld", "litigation_after_review": "la"}
TEMPLATE_NOTE = {"2019": "（仅 2019 版模板）", "2021": "（仅 2021 版模板）"}
ROW_KINDS = {"detail": "明细", "subtotal": "小计", "total": "合计"}
SUBTOTALS = {"year": "按年度小计", "agency": "按机构小计", "none": "只列合计"}


@dataclass(frozen=True)
class Field:
    column: str  # the report_wide column
    table: str  # 表二, 表三, 表四
    label: str  # the official label, the template it belongs to marked
    template: str  # "2019", "2021" or "both"
    money: bool = False

    @property
    def unit(self) -> str:
        return "万元" if self.money else "件"

    @property
    def heading(self) -> str:
        return f"{self.table}·{self.label}（{self.unit}）"


def _catalogue() -> dict[str, Field]:
    out: dict[str, Field] = {}
    for f in fields.all_fields():
        note = TEMPLATE_NOTE.get(f.template, "")
        if f.table == "active":
            out[f"ad_{f.key}"] = Field(f"ad_{f.key}", "表二", f.label + note, f.template, f.key in fields.MONEY_KEYS)
        elif f.table == "applications_row":
            out[f"a_{f.key}"] = Field(f"a_{f.key}", "表三", f.label + "·总计" + note, f.template)
        elif f.table == "applications_col" and f.key != "total":
            label = fields.label("applications_row", "new_received") + "·" + f.label
            out[f"nr_{f.key}"] = Field(f"nr_{f.key}", "表三", label + note, f.template)
    for group, prefix in _REVIEW_PREFIX.items():
        for col in fields.REVIEW_COLS:
            label = fields.label("review_group", group) + "·" + fields.label("review_col", col)
            out[f"{prefix}_{col}"] = Field(f"{prefix}_{col}", "表四", label, "both")
    return out


FIELDS: dict[str, Field] = _catalogue()
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def field_columns(keys) -> str:
    """The slot of builder_rows.sql naming the chosen report_wide columns (allow-listed)."""
    keys = [k for k in keys if k in FIELDS and _IDENT.match(k)]
    return "".join(f', "{k}"' for k in keys)


def metric_columns(keys) -> str:
    """The slot of builder_rows.sql naming the chosen metrics' numerators and denominators."""
    keys = [k for k in keys if k in METRICS and _IDENT.match(k)]
    return "".join(f', "{k}_num", "{k}_den"' for k in keys)


# ---------------------------------------------------------------- the table with its totals

ID_COLUMNS = {"row_kind": "行类型", "agency_id": "机构代码", "name": "机构", "province": "省份", "city": "地市",
              "county": "区县", "level": "层级", "kind": "类型", "year": "年度", "template": "模板"}


def metric_heading(key: str) -> str:
    m = METRICS[key]
    return f"{m.label}（{m.unit}）"


def _sum(series: pd.Series):
    """A column's total: blank when every cell is blank (blank is not 0)."""
    return series.sum(min_count=1)


def _total_row(part: pd.DataFrame, field_keys, metric_keys, **ids) -> dict:
    row = {k: None for k in ID_COLUMNS} | ids
    for k in field_keys:
        row[k] = _sum(part[k])
    for k in metric_keys:
        row[k + "_num"] = _sum(part[k + "_num"])
        row[k + "_den"] = _sum(part[k + "_den"])
    return row


def _values(df: pd.DataFrame, metric_keys) -> pd.DataFrame:
    """Each metric's value of every row from that row's numerator and denominator."""
    for k in metric_keys:
        num = pd.to_numeric(df[k + "_num"], errors="coerce").astype("float64")
        den = pd.to_numeric(df[k + "_den"], errors="coerce").astype("float64")
        df[k] = num / den.where(den != 0) if METRICS[k].is_ratio else num
    return df


def table(rows: pd.DataFrame, field_keys, metric_keys, by: str = "year") -> pd.DataFrame:
    """Detail rows, a subtotal after each year (``by="year"``) or each agency (``"agency"``), and
    the grand total last; columns keep their keys (``ID_COLUMNS``, fields, ``<m>_num``/``_den``, ``<m>``)."""
    if by not in SUBTOTALS:
        raise ValueError(f"unknown subtotal {by!r}")
    field_keys = [k for k in field_keys if k in FIELDS]
    metric_keys = [k for k in metric_keys if k in METRICS]
    detail = rows.assign(row_kind=ROW_KINDS["detail"])
    out: list[dict] = []
    if by == "year":
        for year, part in detail.groupby("year", sort=True):
            out += part.to_dict("records")
            out.append(_total_row(part, field_keys, metric_keys, row_kind=ROW_KINDS["subtotal"], year=int(year),
                                  name=f"{int(year)} 年小计（{part['agency_id'].nunique()} 个机构）"))
    elif by == "agency":
        detail = detail.sort_values(["province", "city", "county", "name", "agency_id", "year"], na_position="first",
                                    kind="mergesort")
        for agency, part in detail.groupby("agency_id", sort=False):
            out += part.to_dict("records")
            years = sorted(int(y) for y in part["year"])
            span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
            out.append(_total_row(part, field_keys, metric_keys, row_kind=ROW_KINDS["subtotal"], agency_id=agency,
                                  name=f"{part['name'].iloc[0]} 小计（{span} 年，{len(part)} 份报告）",
                                  province=part["province"].iloc[0], city=part["city"].iloc[0],
                                  county=part["county"].iloc[0], level=part["level"].iloc[0],
                                  kind=part["kind"].iloc[0]))
    else:
        out += detail.to_dict("records")
    out.append(_total_row(detail, field_keys, metric_keys, row_kind=ROW_KINDS["total"],
                          name=f"合计（{detail['agency_id'].nunique()} 个机构，{len(detail)} 份报告）"))
    columns = list(ID_COLUMNS) + field_keys + [c for k in metric_keys for c in (k + "_num", k + "_den")]
    frame = pd.DataFrame(out, columns=columns)
    return _values(frame, metric_keys)


def _integer(series: pd.Series) -> pd.Series:
    """Counts as integers (Int64: a blank stays blank); a column with fractions stays decimal."""
    values = pd.to_numeric(series, errors="coerce")
    whole = values.dropna()
    if len(whole) and not (whole == whole.round()).all():
        return values.astype("float64").round(2)
    return values.round().astype("Int64")


def shown(frame: pd.DataFrame, field_keys, metric_keys) -> pd.DataFrame:
    """The table as shown and downloaded: Chinese headings that say the unit, counts as integers,
    percentages as per cent (two decimals), levels and kinds in Chinese, no link or icon column."""
    field_keys = [k for k in field_keys if k in FIELDS]
    metric_keys = [k for k in metric_keys if k in METRICS]
    out = pd.DataFrame({ID_COLUMNS[k]: frame[k] for k in ID_COLUMNS})
    out["层级"] = frame["level"].map(LEVELS).fillna(frame["level"])
    out["类型"] = frame["kind"].map(KINDS).fillna(frame["kind"])
    out["年度"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    for k in field_keys:
        f = FIELDS[k]
        out[f.heading] = pd.to_numeric(frame[k], errors="coerce").astype("float64").round(2) if f.money \
            else _integer(frame[k])
    for k in metric_keys:
        m = METRICS[k]
        value = pd.to_numeric(frame[k], errors="coerce").astype("float64")
        if m.is_ratio:
            out[metric_heading(k)] = (value * 100).round(2) if m.percent else value.round(2)
            out[f"{m.label}·分子（件）"] = _integer(frame[k + "_num"])
            out[f"{m.label}·分母（件）"] = _integer(frame[k + "_den"])
        else:
            out[metric_heading(k)] = value.round(2) if m.kind == "amount" else _integer(value)
    return out


def dictionary(field_keys, metric_keys) -> pd.DataFrame:
    """The data dictionary: every column of the table, what it holds, its unit and template."""
    rows = [
        ("行类型", "明细：一份报告；小计：其上各行之和；合计：全部明细行之和", "", "", "全部"),
        ("机构代码", "仓库中的机构编号（agency_id）", "", "", "全部"),
        ("机构", "机构名称；演示数据标注“（演示）”；小计与合计行写明所含机构与报告数", "", "", "全部"),
        ("省份", "机构所在省份", "", "", "全部"), ("地市", "机构所在地市", "", "", "全部"),
        ("区县", "机构所在区县", "", "", "全部"), ("层级", "机构层级", "", "", "全部"),
        ("类型", "机构类型", "", "", "全部"), ("年度", "报告年度", "", "", "全部"),
        ("模板", "报告所用的表格模板（2019 版或 2021 版）", "", "", "全部"),
    ]
    template = {"both": "2019 版与 2021 版", "2019": "仅 2019 版", "2021": "仅 2021 版"}
    for k in field_keys:
        if k in FIELDS:
            f = FIELDS[k]
            rows.append((f.heading, f"年报{f.table}“{f.label}”，按报告原样填报；空白表示报告未填或不适用该模板，"
                         "小计与合计为各行之和（全部空白时为空白）", f"report_wide.{k}", f.unit, template[f.template]))
    for k in metric_keys:
        if k not in METRICS:
            continue
        m = METRICS[k]
        tpl = template[m.template] if m.template else "2019 版与 2021 版"
        if m.is_ratio:
            rows.append((metric_heading(k), f"{m.formula}；小计与合计为分子之和除以分母之和（不是比率的平均），分母为 0 时为空白",
                         f"{k}_num / {k}_den", m.unit, tpl))
            rows.append((f"{m.label}·分子（件）", m.numerator, f"{k}_num", "件", tpl))
            rows.append((f"{m.label}·分母（件）", m.denominator, f"{k}_den", "件", tpl))
        else:
            rows.append((metric_heading(k), f"{m.formula}；小计与合计为各行之和", f"{k}_num", m.unit, tpl))
    return pd.DataFrame(rows, columns=["列名", "含义", "来源", "单位", "适用模板"])


# ---------------------------------------------------------------- files

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def file_stem(place: str, year_from: int, year_to: int, metric_keys=(), field_keys=()) -> str:
    """What and when: 自定义报表_江苏省淮安市_2021-2024[_予以公开率]."""
    years = str(year_to) if year_from == year_to else f"{year_from}-{year_to}"
    parts = ["自定义报表", place or "全部地区", years]
    chosen = [METRICS[k].label for k in metric_keys if k in METRICS]
    if len(chosen) == 1 and not field_keys:
        parts.append(chosen[0])
    elif len(chosen) == 1:
        parts.append(chosen[0] + "等")
    return _UNSAFE_NAME.sub("_", "_".join(parts))


def csv_bytes(table_: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the Chinese), text made safe from formulas."""
    return cell_safety.frame(table_).to_csv(index=False).encode("utf-8-sig")


def _sheet(wb, title: str, frame: pd.DataFrame, formats: dict[str, str] | None = None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    header = []
    for c in frame.columns:
        cell = cell_safety.xlsx_text(ws, str(c))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    formats = formats or {}
    for values in frame.itertuples(index=False):
        row = []
        for col, value in zip(frame.columns, values):
            if value is pd.NA or value is None or (isinstance(value, float) and value != value):
                row.append(None)
                continue
            if hasattr(value, "item"):  # NumPy scalars as Python numbers
                value = value.item()
            if isinstance(value, str):
                row.append(cell_safety.xlsx_text(ws, value))
                continue
            cell = WriteOnlyCell(ws, value=value)
            if col in formats:
                cell.number_format = formats[col]
            row.append(cell)
        ws.append(row)


def xlsx_bytes(table_: pd.DataFrame, dictionary_: pd.DataFrame, about: list[tuple[str, str]]) -> bytes:
    """Sheets 报表 (the table), 数据字典 (every column) and 说明 (what was chosen, when)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    formats = {}
    for c in table_.columns:
        dtype = table_[c].dtype
        if str(dtype) == "Int64" or dtype.kind in "iu":
            formats[c] = "#,##0" if c != "年度" else "0"
        elif dtype.kind == "f":
            formats[c] = "#,##0.00"
    _sheet(wb, "报表", table_, formats)
    _sheet(wb, "数据字典", dictionary_)
    _sheet(wb, "说明", pd.DataFrame(about, columns=["项目", "内容"]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
