"""Small building blocks every page uses: filters in effect, guarded queries, tables with a CSV
download, the demo-data notice and the small-sample caution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from . import db
from .filters import DATASETS, Filters
from .metrics import METRICS, SMALL_CASES, SMALL_REPORTS, fmt

FILTERS_KEY = "active_filters"


def require_app_navigation() -> None:
    """Give a page the sidebar filters even when Streamlit ran it without ``app.py``.

    Streamlit decides per process (and AppTest per run) whether the app uses the legacy ``pages/``
    folder layout; until ``app.py`` has called ``st.navigation`` it assumes so, and a page opened
    by URL runs alone. Such a run draws the sidebar itself and tells Streamlit that ``app.py``'s
    navigation is in charge from now on. (A rerun instead would drop a button click.)
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    if getattr(PagesManager, "uses_pages_directory", None):
        PagesManager.uses_pages_directory = False
        if db.file_version(db.db_path()) is not None:
            from . import sidebar

            sidebar.render()


def filters() -> Filters:
    """The filters the sidebar of ``app.py`` set for this run."""
    require_app_navigation()
    f = st.session_state.get(FILTERS_KEY)
    if f is None:  # a page run on its own (tests): everything
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
    st.title(title)
    f = filters()
    st.caption(f"{caption}　|　{f.region_label()}，{f.years_label()}")
    demo_notice(f)
    return f


def demo_notice(f: Filters) -> None:
    if "demo" not in f.datasets:
        return
    present = query("filter_datasets")
    if "demo" in set(present["dataset"]):
        st.info("当前结果包含**演示数据**：演示机构为虚构，名称后标注“（演示）”，数字不代表任何真实机关。"
                "可在侧栏“数据集”中取消“演示数据”将其隐藏。", icon="ℹ️")


def caution(n_reports: int | None, denominator: float | None = None) -> None:
    reasons = []
    if n_reports is not None and n_reports < SMALL_REPORTS:
        reasons.append(f"仅 {int(n_reports)} 份报告")
    if denominator is not None and denominator == denominator and denominator < SMALL_CASES:
        reasons.append(f"分母仅 {int(denominator)} 件")
    if reasons:
        st.caption(f"⚠️ 样本较小（{'，'.join(reasons)}，少于 30），解读时请谨慎。")


def caution_text(n_reports: int | None, denominator: float | None = None) -> str:
    small = (n_reports is not None and n_reports < SMALL_REPORTS) or (
        denominator is not None and denominator == denominator and denominator < SMALL_CASES)
    return "⚠️ 样本小" if small else ""


def metric_help(key: str) -> str:
    m = METRICS[key]
    note = "（仅 2021 版模板有此项）" if m.template == "2021" else ""
    return f"**{m.label}**{note}\n\n公式：{m.formula}\n\n分母：{m.denominator}\n\n分母为 0 时显示“—”，不记为 0。"


def format_metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Metric columns as display text ("—" where undefined)."""
    out = df.copy()
    for col in out.columns:
        if col in METRICS:
            out[col] = [fmt(col, v) for v in out[col]]
    return out


def _number_formatter(series: pd.Series):
    """Whole numbers with thousands separators; other numbers with two decimals."""
    values = pd.to_numeric(series, errors="coerce").dropna()
    whole = bool(len(values)) and bool((values == values.round()).all())
    return (lambda v: f"{v:,.0f}") if whole else (lambda v: f"{v:,.2f}")


def table(df: pd.DataFrame, key: str, columns: dict[str, str] | None = None, file_name: str | None = None,
          height: int | None = None, percent: tuple[str, ...] = ()) -> None:
    """A sortable table with its CSV download; ``columns`` renames (and selects) columns for display.

    Metric columns show as rates or counts with "—" where undefined, while sorting still works on
    the numbers underneath; the CSV holds the raw numbers (empty where undefined).
    """
    columns = columns or {c: c for c in df.columns}
    shown = df[list(columns)].rename(columns=columns)
    formats = {}
    for src, dst in columns.items():
        if src == "year":
            formats[dst] = lambda v: f"{v:.0f}"
        elif src in METRICS:
            formats[dst] = lambda v, c=src: fmt(c, v)
        elif src in percent:
            formats[dst] = lambda v: f"{v:.1%}"
        elif pd.api.types.is_numeric_dtype(shown[dst]) and not pd.api.types.is_bool_dtype(shown[dst]):
            formats[dst] = _number_formatter(shown[dst])
        else:
            formats[dst] = str
    styler = shown.style.format(formats, na_rep="—")
    st.dataframe(styler, hide_index=True, width="stretch", height=height or "auto", key=f"tbl_{key}",
                 placeholder="—")
    st.download_button("下载 CSV", shown.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{file_name or key}.csv", mime="text/csv", key=f"dl_{key}")


def dataset_label(key: str) -> str:
    return DATASETS.get(key, key)
