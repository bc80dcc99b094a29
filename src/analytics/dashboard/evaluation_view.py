"""The 年度报告评估 download of 数据质量: the evaluation report (``analytics.evaluate``) of a chosen
region and year as Word and PDF, with the steps shown while it is made."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from . import db, page_state, ui
from .filters import Filters
from .safe_text import md

KEY = "ev_files"  # session: {(region, year): {"docx": bytes, "pdf": bytes | None, "title": str}}


def region_options() -> list[str]:
    """Every province, city and county the agencies name, as 省/市/区县 paths."""
    places = ui.query("filter_regions")
    # A dict keeps the first-seen order; a list's membership test made this 0.14 s at 3,000 places.
    out: dict[str, None] = {}
    for row in places[["province", "city", "county"]].itertuples(index=False):
        prov, city, county = (v if isinstance(v, str) and v else None for v in row)
        for path in ([prov], [prov, city] if city else None, [prov, city, county] if city and county else None):
            if path:
                out.setdefault("/".join(path))
    return list(out)


def _default(f: Filters, options: list[str]) -> str | None:
    chosen = "/".join(p for p in (f.province, f.city, f.county) if p)
    return chosen if chosen in options else (options[0] if options else None)


def _make(region: str, year: int, with_pdf: bool) -> dict:
    from ..evaluate import evaluate, write

    bar = st.progress(0.0, text="读取数据仓库、计算各项数字和图表…")
    ev = evaluate(db.db_path(), region, year)
    out = {"title": ev.title, "n": len(ev.figures), "pdf": None}
    with tempfile.TemporaryDirectory(prefix="analytics-eval-") as tmp:
        bar.progress(0.5, text="生成 Word 文档…")
        out["docx"] = write(ev, Path(tmp) / "评估.docx").read_bytes()
        if with_pdf:
            bar.progress(0.7, text="生成 PDF（LibreOffice 排版，约需十余秒）…")
            out["pdf"] = write(ev, Path(tmp) / "评估.pdf").read_bytes()
    bar.progress(1.0, text="完成")
    return out


def show(f: Filters) -> None:
    st.subheader("年度报告评估（下载）")
    st.caption("为一个地区和年度生成评估报告（Word，可另附 PDF）：主要指标及其定义和分母、比较分析（Wilson 区间、"
               "漏斗图离群、最少分母）、年报质量评分排名、检查发现、未发布名单和各机构附录；每个数字注明产生它的查询和筛选条件。")
    options = region_options()
    if not options:
        st.caption("数据仓库中还没有带地区的机构。")
        return
    years = sorted(ui.query("filter_years")["year"].tolist(), reverse=True)
    c1, c2, c3 = st.columns([3, 1, 1])
    # The region is kept in the URL (q_ev_region), so a link can open the page ready for one region.
    region = page_state.selectbox(c1, "地区", options, key="q_ev_region", default=_default(f, options))
    year = c2.selectbox("年度", years, index=years.index(f.year_to) if f.year_to in years else 0, key="q_ev_year")
    with_pdf = c3.checkbox("同时生成 PDF", value=True, key="q_ev_pdf")
    files = st.session_state.setdefault(KEY, {})
    if st.button("生成评估报告", key="q_ev_make"):
        from ..errors import ReportError

        try:
            files[(region, year)] = _make(region, int(year), with_pdf)
        except ReportError as exc:
            st.error(md(exc.message))
    made = files.get((region, year))
    if made:
        st.caption(f"{md(made['title'])}：{made['n']} 个数字")
        stem = f"{region.replace('/', '_')}_{year}年度_年报评估"
        st.download_button("下载 Word（.docx）", made["docx"], file_name=f"{stem}.docx", key="q_ev_dl_docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if made["pdf"]:
            st.download_button("下载 PDF", made["pdf"], file_name=f"{stem}.pdf", key="q_ev_dl_pdf",
                               mime="application/pdf")
