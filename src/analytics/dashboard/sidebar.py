"""The sidebar's global filters: restored from the URL at the start of a session, kept in
session state while moving between pages, and written back to the URL on every run."""

from __future__ import annotations

import streamlit as st

from . import ui
from .filters import ALL, DATASETS, KINDS, LEVELS, Filters, from_query

URL_KEYS = ("years", "province", "city", "county", "level", "kind", "dataset")


def _init_from_url(years: list[int]) -> None:
    f = from_query(st.query_params.to_dict(), years)
    st.session_state["f_years_default"] = (str(f.year_from), str(f.year_to))
    st.session_state["f_province"] = f.province or ALL
    st.session_state["f_city"] = f.city or ALL
    st.session_state["f_county"] = f.county or ALL
    st.session_state["f_levels"] = f.levels
    st.session_state["f_kinds"] = f.kinds
    st.session_state["f_datasets"] = f.datasets
    st.session_state["f_ready"] = True


def _choose(label: str, key: str, options: list[str]) -> str | None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = ALL
    value = st.selectbox(label, options, key=key)
    return None if value == ALL else value


def _reset() -> None:
    for k in [k for k in st.session_state if str(k).startswith("f_")]:
        del st.session_state[k]
    for k in URL_KEYS:
        if k in st.query_params:
            del st.query_params[k]


def render() -> Filters:
    years = ui.query("filter_years")["year"].astype(int).tolist()
    regions = ui.query("filter_regions")
    if not st.session_state.get("f_ready"):
        _init_from_url(years)

    with st.sidebar:
        st.header("筛选")
        if len(years) > 1:
            # Years as text, and the range given as the widget's default rather than through session
            # state: Streamlit only treats the slider as a range when its default value is one.
            labels = [str(y) for y in years]
            default = tuple(st.session_state.get("f_years_default") or ())
            if len(default) != 2 or not all(y in labels for y in default):
                default = (labels[0], labels[-1])
            cur = st.session_state.get("f_years")
            if cur is not None and not (isinstance(cur, (tuple, list)) and len(cur) == 2
                                        and all(y in labels for y in cur)):
                del st.session_state["f_years"]
            y_from, y_to = st.select_slider("年份", options=labels, value=default, key="f_years")
        else:
            y_from = y_to = years[0] if years else 0
            st.caption(f"年份：{y_to}" if years else "年份：暂无数据")

        provinces = [ALL] + sorted(regions["province"].dropna().unique().tolist())
        province = _choose("省份", "f_province", provinces)
        in_prov = regions[regions["province"] == province] if province else regions.iloc[0:0]
        city = _choose("地市", "f_city", [ALL] + sorted(in_prov["city"].dropna().unique().tolist())) if province else None
        if not province:
            st.session_state["f_city"] = ALL
        in_city = in_prov[in_prov["city"] == city] if city else in_prov.iloc[0:0]
        county = _choose("区县", "f_county", [ALL] + sorted(in_city["county"].dropna().unique().tolist())) if city else None
        if not city:
            st.session_state["f_county"] = ALL

        levels = st.multiselect("层级", list(LEVELS), format_func=LEVELS.get, key="f_levels", placeholder="全部层级")
        kinds = st.multiselect("机构类型", list(KINDS), format_func=KINDS.get, key="f_kinds", placeholder="全部类型")
        datasets = st.multiselect("数据集", list(DATASETS), format_func=DATASETS.get, key="f_datasets",
                                  help="取消“演示数据”即隐藏全部虚构的演示机构。")
        st.button("重置筛选", on_click=_reset)

    f = Filters(year_from=int(y_from), year_to=int(y_to), province=province, city=city, county=county,
                levels=list(levels), kinds=list(kinds), datasets=list(datasets))
    _write_url(f)
    st.session_state[ui.FILTERS_KEY] = f
    return f


def _write_url(f: Filters) -> None:
    wanted = f.to_query()
    for k in URL_KEYS:
        if k in wanted:
            if st.query_params.get(k) != wanted[k]:
                st.query_params[k] = wanted[k]
        elif k in st.query_params:
            del st.query_params[k]
