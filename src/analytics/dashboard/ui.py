"""Small building blocks every page uses: filters in effect, guarded queries, tables with a CSV
download, the demo-data notice and the small-sample caution."""

from __future__ import annotations

import datetime
import functools
from urllib.parse import quote

import pandas as pd
import streamlit as st

from ..warehouse import cell_safety
from . import auth, db, navigation, sidebar
from .filters import Filters
from ..stats import MIN_DENOMINATOR
from .metrics import METRICS, fmt, grid_format, help_text
from .safe_text import md


def require_app_navigation() -> None:
    """Give a page the navigation and the sidebar filters even when Streamlit ran it without
    ``app.py`` (see ``navigation``); every page calls this (through ``filters``) before drawing."""
    navigation.ensure_navigation()


def filters() -> Filters:
    """The filters the sidebar set for this run."""
    require_app_navigation()
    f = sidebar.in_force()
    if f is None:  # no warehouse yet: everything
        years = query("filter_years")["year"].tolist() or [0]
        f = Filters(year_from=min(years), year_to=max(years))
    return f


def query(name: str, **params) -> pd.DataFrame:
    try:
        return db.query(name, **params)
    except db.NoWarehouse as exc:
        st.warning(f"还没有数据仓库（{exc}）。请先运行 `analytics setup` 或 `analytics ingest` 导入报告，"
                   "或在“数据导入”页面上传文件。")
        st.stop()
        raise


def header(title: str, caption: str) -> Filters:
    f = filters()
    st.title(title)
    region = auth.region()
    # A regional account's "everything" is its region: say which.
    place = " / ".join(p for p in (region.province, region.city, region.county) if p) \
        if not region.everywhere and not (f.province or f.city or f.county) else f.region_label()
    st.caption(f"{caption}　|　{md(place)}，{f.years_label()}")
    demo_notice(f)
    return f


def demo_notice(f: Filters) -> None:
    if "demo" not in f.datasets:
        return
    shown = query("demo_in_view", **f.params())
    if not shown.empty and int(shown["n_demo"].iloc[0]) > 0:
        st.info("当前结果包含**演示数据**：演示机构为虚构，名称后标注“（演示）”，数字不代表任何真实机关。"
                f"可在侧栏“{sidebar.MORE}”的“数据集”中取消“演示数据”将其隐藏。", icon="ℹ️")


def caution(denominator: float | None, min_den: int = MIN_DENOMINATOR) -> None:
    """A rate's caution is about its base: the cases it is a share of, not how many reports there are."""
    if denominator is not None and denominator == denominator and denominator < min_den:
        st.caption(f"⚠️ 分母仅 {int(denominator)} 件（少于 {min_den} 件），比率的不确定性大，解读时请谨慎。")


def caution_text(denominator: float | None, min_den: int = MIN_DENOMINATOR) -> str:
    small = denominator is not None and denominator == denominator and denominator < min_den
    return f"⚠️ 分母小于 {min_den}" if small else ""


def metric_help(key: str) -> str:
    return help_text(key)


PROFILE_LINK = "机构画像"
REPORT_LINK = "报告详情"


def profile_url(agency_id) -> str:
    """The 机构画像 page of one agency. Relative, so that it also works under a base path."""
    return "profile?pf_agency=" + quote(str(agency_id), safe="")


def date_zh(value) -> str:
    """A date as 2026-01-27 (a stored time of day dropped), or 未注明."""
    if value is None or value != value:
        return "未注明"
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return str(value)


def report_url(report_id) -> str:
    return f"report?report={int(report_id)}"


def finding_url(report_id, fingerprint: str) -> str | None:
    """报告详情 opened on one finding's check (its cells highlighted, its arithmetic written out);
    None for a finding tied to no one report."""
    from urllib.parse import quote

    if report_id is None or report_id != report_id:
        return None
    return f"report?report={int(report_id)}&finding={quote(fingerprint, safe='')}"


def table(df: pd.DataFrame, key: str, columns: dict[str, str] | None = None, file_name: str | None = None,
          height: int | None = None, percent: tuple[str, ...] = (), links: dict[str, str] | None = None,
          urls: dict[str, str] | None = None, download: pd.DataFrame | None = None) -> None:
    """A sortable table with its CSV download; ``columns`` renames (and selects) columns for display.
    ``download``: the rows the CSV holds when the grid shows only some of them (same columns as ``df``).

    ``links={"name": "agency_id"}`` puts a link to each row's 机构画像 (the agency in column
    ``agency_id``) after the displayed column ``name``; ``urls={"url": "打开"}`` shows a column
    already holding relative page URLs as links with that text. Link columns are for the screen:
    the CSV leaves them out.

    Metric columns show as rates or counts with "—" where undefined, while sorting still works on
    the numbers underneath; the CSV holds the raw numbers (empty where undefined) and text made
    safe for spreadsheet programs (``csv_bytes``). Formats are
    column settings of the grid, not a pandas Styler: styling every cell in Python cost about half
    a second per page view for the 2,000-agency table.
    """
    columns = columns or {c: c for c in df.columns}
    urls = dict(urls or {})
    shown = df[list(columns)].rename(columns=columns)
    view, config = _display(shown, columns, percent)
    for after, id_col in (links or {}).items():
        if id_col not in df or after not in columns:
            continue
        at = list(view.columns).index(columns[after]) + 1
        view.insert(at, PROFILE_LINK, [profile_url(v) if v == v and v is not None else None for v in df[id_col]])
        urls[PROFILE_LINK] = "查看画像"
    for col, text in urls.items():
        config[columns.get(col, col)] = st.column_config.LinkColumn(columns.get(col, col), display_text=text)
    if download is not None:
        shown = download[list(columns)].rename(columns=columns)
    shown = shown.drop(columns=[columns.get(c, c) for c in urls if columns.get(c, c) in shown])
    st.dataframe(view, hide_index=True, width="stretch", height=height or "auto", key=f"tbl_{key}",
                 column_config=config, placeholder="—")
    # Made when the button is clicked: building every table's CSV on every run cost 80 ms of a
    # run of 数据质量 at a million reports.
    st.download_button("下载 CSV", functools.partial(csv_bytes, shown),
                       file_name=f"{file_name or key}.csv", mime="text/csv", key=f"dl_{key}")


# Rows of a long table drawn unless every row is asked for: a grid of thousands of rows is sent
# whole to the browser (1.5 MB for the 5,000 reports of the quality ranking at a million reports).
HEAD_ROWS = 100


def long_table(df: pd.DataFrame, key: str, columns: dict[str, str], *, rows_key: str, unit: str,
               top: str, **kw) -> None:
    """A table whose first ``HEAD_ROWS`` rows are drawn unless every row is asked for (a URL
    choice, ``rows_key``); its CSV holds every row. ``top`` names the first rows ("新收申请量最大的"),
    ``unit`` counts them ("个", "份")."""
    from . import page_state

    rows = "all"
    if len(df) > HEAD_ROWS:
        rows = page_state.radio(st, "显示", ["top", "all"], key=rows_key, horizontal=True,
                                format_func={"top": f"{top} {HEAD_ROWS} {unit}", "all": f"全部 {len(df):,} {unit}"}.get)
    table(df if rows == "all" else df.head(HEAD_ROWS), key, columns, download=df, **kw)


def csv_bytes(shown: pd.DataFrame) -> bytes:
    """The table as downloaded: document text never starts a formula (see cell_safety)."""
    return cell_safety.frame(shown).to_csv(index=False).encode("utf-8-sig")


def _display(shown: pd.DataFrame, columns: dict[str, str], percent) -> tuple[pd.DataFrame, dict]:
    """The frame as displayed (rates scaled to per cent) and the grid's number format per column."""
    view = shown.copy()
    config = {}
    for src, dst in columns.items():
        col = view[dst]
        # Dates as 2026-01-19 (a time of day, where there is one, as 2026-01-19 18:24).
        if pd.api.types.is_datetime64_any_dtype(col):
            has_time = bool((col.dropna() != col.dropna().dt.normalize()).any())
            config[dst] = st.column_config.DatetimeColumn(dst, format="YYYY-MM-DD HH:mm" if has_time else "YYYY-MM-DD")
            continue
        if col.dtype == object and len(col.dropna()) and all(isinstance(v, datetime.date) for v in col.dropna()):
            config[dst] = st.column_config.DateColumn(dst, format="YYYY-MM-DD")
            continue
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        if src == "year" or dst in ("年度", "年份"):
            fmt_ = "%d"
        elif src in percent:  # before the registry: a metric's percentile rank is a share
            view[dst] = col.astype("float64") * 100
            fmt_ = "%.1f%%"
        elif src in METRICS:
            fmt_ = grid_format(src)
            if METRICS[src].percent:
                view[dst] = col.astype("float64") * 100
        elif _whole(col):
            fmt_ = "localized"
        else:
            fmt_ = "%.2f"
        config[dst] = st.column_config.NumberColumn(dst, format=fmt_)
    return view, config


def _whole(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return bool(len(values)) and bool((values == values.round()).all())
