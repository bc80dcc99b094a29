"""数据导入 · 从网站采集: paste the addresses of agencies' annual-report columns, collect every
report there (the same collector as ``analytics collect``), and load what was collected."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from ..collect import fetch
from ..manifest import FIRST_YEAR
from . import ui, writes
from .safe_text import md


class ProgressBar:
    """The collector's progress (tqdm's calls) drawn as a Streamlit progress bar."""

    def __init__(self):
        self.total = None
        self.n = 0
        self._what = ""
        self._bar = st.progress(0.0, text="正在读取栏目页…")

    def set_description(self, text: str) -> None:
        self._what = text
        self.refresh()

    def update(self, n: int = 1) -> None:
        self.n += n
        self.refresh()

    def refresh(self) -> None:
        share = self.n / self.total if self.total else 0.0
        self._bar.progress(min(share, 1.0), text=f"{self._what} · 已处理 {self.n} / {self.total or '?'} 份年报")

    def close(self) -> None:
        self._bar.progress(1.0, text=f"采集完成：处理 {self.n} 份年报")


def _folder() -> Path:
    from .uploads import upload_dir

    return Path(upload_dir()) / "collected" / datetime.now().strftime("%Y%m%d-%H%M%S")


def render() -> None:
    st.subheader("从网站采集")
    st.caption("粘贴各机构网站“政府信息公开年报”栏目的网址（每行一个，网址后可写机构名称）。采集器遵守 robots.txt，"
               "同一网站每秒最多一次请求，只跟随本栏目内的链接；按内容判断是否为年报，保存网页与附件，"
               "再按清单载入（机构、年度、发布日期随清单带入）。")
    if not writes.allowed("import"):
        st.caption("当前账户不能导入报告：网站采集需要管理角色。")
        return
    text = st.text_area("年报栏目网址", key="cl_urls", height=120,
                        placeholder="https://www.example.gov.cn/zfxxgk/ndbg/index.html 某某区人民政府")
    c1, c2 = st.columns(2)
    since = c1.number_input("只采集该年度及以后的年报（0 为不限）", min_value=0, max_value=date.today().year,
                            value=0, step=1, key="cl_since")
    load = c2.checkbox("采集后载入数据仓库", value=True, key="cl_load")
    with st.expander("请求设置"):
        delay = st.number_input("同一网站两次请求的最短间隔（秒）", min_value=0.0, value=fetch.DEFAULT_DELAY_S,
                                step=0.5, key="cl_delay")
        timeout = st.number_input("每次请求的时限（秒）", min_value=0.1, value=fetch.DEFAULT_TIMEOUT_S, step=1.0,
                                  key="cl_timeout")
        retries = st.number_input("超时或服务器错误时的重试次数", min_value=0, value=fetch.DEFAULT_RETRIES, step=1,
                                  key="cl_retries")
    if not st.button("开始采集", key="cl_go", type="primary"):
        return
    from ..collect.run import targets_in
    from ..errors import ReportError

    try:
        targets = targets_in(text or "", "网址框")
        if not targets:
            raise ReportError("请至少填写一个年报栏目的网址")
        if since and since < FIRST_YEAR:
            raise ReportError(f"年度应为 {FIRST_YEAR} 年或以后")
    except ReportError as exc:
        st.error(md(exc.message))
        return
    failures = st.container()
    bar = ProgressBar()
    try:
        outcome = writes.collect_sites(targets, _folder(), since=since or None, delay=delay, timeout=timeout,
                                       retries=int(retries), bar=bar,
                                       on_failure=lambda line: failures.warning(md(line)))
    except ReportError as exc:
        st.error(md(exc.message))
        return
    pages = sum(r["role"] == "page" for r in outcome.saved)
    st.success(f"新保存 {len(outcome.saved)} 个文件（年报网页 {pages}，附件 {len(outcome.saved) - pages}），"
               f"内容重复 {len(outcome.duplicates)}，不是年报 {len(outcome.not_reports)}，"
               f"早于所选年度 {outcome.filtered}，失败 {len(outcome.failures)}。")
    if outcome.saved:
        saved = pd.DataFrame(outcome.saved)
        ui.table(saved, "collected", {"agency": "机构", "year": "年度", "published": "发布日期", "role": "类型",
                                      "url": "网址", "path": "保存为"}, file_name="采集清单")
    if load and outcome.rows:
        with st.spinner("正在载入数据仓库…"):
            try:
                summary = writes.ingest_manifest(outcome.manifest)
            except ReportError as exc:
                st.error(md(exc.message))
                return
        loaded = summary.count("loaded") + summary.count("loaded_with_warnings")
        st.success(f"已载入 {loaded} 份报告，内容重复 {summary.count('duplicate')} 份，未载入 {len(summary.refused)} 份。")
        if summary.refused:
            ui.table(pd.DataFrame([{"path": r.path, "reason": r.reason} for r in summary.refused]), "collect_refused",
                     {"path": "文件", "reason": "原因"}, file_name="未载入的文件")
        st.cache_data.clear()
