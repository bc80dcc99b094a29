"""The sidebar's global filters: read from the URL at the start of a session, kept in session
state while moving between pages, and written back to the URL on every run.

The filters in force are kept under one plain session key (``STATE``); each widget gets its
default from there rather than through its own session key, so the choice survives whichever
script happens to draw the sidebar (``app.py``, or a page that Streamlit ran on its own).
"""

from __future__ import annotations

import streamlit as st

from . import db
from .filters import ALL, DATASETS, KINDS, LEVELS, Filters, from_query

# The button of the popover holding the level, kind and dataset filters (the demo notice names it).
MORE = "层级 · 类型 · 数据集"
URL_KEYS = ("years", "province", "city", "county", "level", "kind", "dataset")
STATE = "active_filters"


def in_force() -> Filters | None:
    """The filters the sidebar set in this session."""
    return st.session_state.get(STATE)


def _drop_invalid(key: str, valid) -> None:
    if key in st.session_state and not valid(st.session_state[key]):
        del st.session_state[key]


def _choose(label: str, key: str, options: list[str], current: str | None) -> str | None:
    _drop_invalid(key, lambda v: v in options)
    index = options.index(current) if current in options else 0
    value = st.selectbox(label, options, index=index, key=key)
    return None if value == ALL else value


def _pick(label: str, key: str, choices: dict[str, str], current: list[str], **kw) -> list[str]:
    _drop_invalid(key, lambda v: isinstance(v, list) and all(x in choices for x in v))
    return st.multiselect(label, list(choices), default=[c for c in current if c in choices],
                          format_func=choices.get, key=key, **kw)


def _reset() -> None:
    for k in [k for k in st.session_state if str(k).startswith("f_") or k == STATE]:
        del st.session_state[k]
    for k in URL_KEYS:
        if k in st.query_params:
            del st.query_params[k]


def render() -> Filters:
    years = db.query("filter_years")["year"].astype(int).tolist()
    regions = db.query("filter_regions")
    state: Filters = st.session_state.get(STATE) or from_query(st.query_params.to_dict(), years)

    with st.sidebar:
        st.header("筛选")
        if len(years) > 1:
            # Years as text: the slider's value then round-trips unchanged through every client.
            labels = [str(y) for y in years]
            default = (str(state.year_from), str(state.year_to))
            if not all(y in labels for y in default):
                default = (labels[0], labels[-1])
            _drop_invalid("f_years", lambda v: isinstance(v, (tuple, list)) and len(v) == 2
                          and all(y in labels for y in v))
            y_from, y_to = st.select_slider("年份", options=labels, value=default, key="f_years")
        else:
            y_from = y_to = years[0] if years else 0
            st.caption(f"年份：{y_to}" if years else "年份：暂无数据")

        provinces = [ALL] + sorted(regions["province"].dropna().unique().tolist())
        province = _choose("省份", "f_province", provinces, state.province)
        city = county = None
        if province:
            in_prov = regions[regions["province"] == province]
            cities = [ALL] + sorted(in_prov["city"].dropna().unique().tolist())
            city = _choose("地市", "f_city", cities, state.city)
            if city:
                in_city = in_prov[in_prov["city"] == city]
                counties = [ALL] + sorted(in_city["county"].dropna().unique().tolist())
                county = _choose("区县", "f_county", counties, state.county)

        # The less used filters behind one button: a popover's widgets are drawn only when it is
        # opened, and three multiselects were a good part of what a new session's browser drew
        # before the page was done. The label says how many of them narrow the view.
        # (Read from the widgets' state first: a choice made in this run is not in ``state`` yet.)
        chosen = [st.session_state.get(k, v) for k, v in (("f_levels", state.levels), ("f_kinds", state.kinds),
                                                           ("f_datasets", state.datasets))]
        narrowed = bool(chosen[0]) + bool(chosen[1]) + (sorted(chosen[2] or []) != sorted(DATASETS))
        with st.popover(MORE + (f"（已设 {narrowed} 项）" if narrowed else ""), width="stretch"):
            levels = _pick("层级", "f_levels", LEVELS, state.levels, placeholder="全部层级")
            kinds = _pick("机构类型", "f_kinds", KINDS, state.kinds, placeholder="全部类型")
            datasets = _pick("数据集", "f_datasets", DATASETS, state.datasets,
                             help="取消“演示数据”即隐藏全部虚构的演示机构。")
        st.button("重置筛选", on_click=_reset, key="f_reset")

    f = Filters(year_from=int(y_from), year_to=int(y_to), province=province, city=city, county=county,
                levels=list(levels), kinds=list(kinds), datasets=list(datasets))
    st.session_state[STATE] = f
    _write_url(f)
    return f


def _write_url(f: Filters) -> None:
    wanted = f.to_query()
    for k in URL_KEYS:
        if k in wanted:
            if st.query_params.get(k) != wanted[k]:
                st.query_params[k] = wanted[k]
        elif k in st.query_params:
            del st.query_params[k]
