"""A page's own choices (metric, grouping, order, selected agencies, minimum denominator) in the URL.

Each widget made here is keyed ``<page prefix><name>`` and mirrored into ``st.query_params`` under
that key, so a shared or reloaded link restores every choice. A value read from the URL is used
only when it is one the widget offers; anything else falls back to the default. Only values that
differ from the default are written, so a plain page keeps a plain URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

# url_path of a page → the prefix of its widget keys and URL parameters.
PREFIXES = {"overview": "ov_", "compare": "cmp_", "trends": "tr_", "outcomes": "oc_", "review": "rv_",
            "active": "ac_", "quality": "q_", "report": "rp_", "profile": "pf_", "builder": "rb_"}
SEPARATOR = "~"  # between the items of a list: agency names may hold commas, never a tilde


_LAST_PAGE = "page_state_last_page"


def leave_others(url_path: str) -> None:
    """On moving to another page, drop the URL parameters of the pages left behind. The first run
    of a session keeps them all: a shared link is read as it was written."""
    last = st.session_state.get(_LAST_PAGE)
    st.session_state[_LAST_PAGE] = url_path
    if last is None or last == url_path:
        return
    mine = PREFIXES.get(url_path)
    for key in [k for k in st.query_params if any(k.startswith(p) for p in PREFIXES.values())]:
        if not (mine and key.startswith(mine)):
            del st.query_params[key]


def _restore(key: str, parse: Callable[[str], object | None]) -> bool:
    """Seed the widget's state from the URL the first time the widget is drawn in this session;
    whether it did."""
    if key in st.session_state or key not in st.query_params:
        return False
    value = parse(st.query_params[key])
    if value is not None:
        st.session_state[key] = value
        return True
    return False


def _seed_choice(key: str, options: list, default, *, only_an_option: bool = False) -> bool:
    """The state of a one-of-``options`` widget before it is drawn: from the URL the first time,
    dropped when it is no longer an option, else ``default`` (only when it is one of them, with
    ``only_an_option``). Whether the state was set in this run."""
    seeded = _restore(key, lambda t: t if t in options else None)
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
        seeded = False
    if key not in st.session_state and (default in options or not only_an_option):
        st.session_state[key] = default
        seeded = True
    return seeded


def _write(key: str, text: str | None) -> None:
    if text is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text


def selectbox(where, label: str, options: Sequence, *, key: str, default=None, **kw):
    options = list(options)
    default = options[0] if default is None and options else default
    _seed_choice(key, options, default, only_an_option=True)
    kw.setdefault("placeholder", "请选择")
    value = where.selectbox(label, options, key=key, **kw)
    _write(key, None if value == default else str(value))
    return value


def radio(where, label: str, options: Sequence, *, key: str, default=None, **kw):
    options = list(options)
    default = options[0] if default is None and options else default
    _seed_choice(key, options, default)
    value = where.radio(label, options, key=key, **kw)
    _write(key, None if value == default else str(value))
    return value


def segmented(where, label: str, options: Sequence, *, key: str, default=None, **kw):
    """One of a few views, as buttons side by side; always one chosen (a click on the chosen one
    does not clear it)."""
    options = list(options)
    default = options[0] if default is None and options else default
    seeded = _seed_choice(key, options, default)
    # A page Streamlit runs on its own (see navigation) gives the control another identity than
    # app.py's runs did, and a control of a new identity starts empty: the choice in force is
    # handed to it as its default too. Not when seeded just now, which is the value it starts with
    # anyway (and Streamlit warns about a default beside a value set in session state).
    chosen = st.session_state[key]
    value = where.segmented_control(label, options, key=key, required=True,
                                    default=None if seeded else chosen, **kw)
    value = chosen if value is None else value
    _write(key, None if value == default else str(value))
    return value


def number(where, label: str, lo: int, hi: int, default: int, *, key: str, **kw) -> int:
    def parse(text: str):
        try:
            value = int(text)
        except ValueError:
            return None
        return value if lo <= value <= hi else None

    _restore(key, parse)
    if key not in st.session_state:
        st.session_state[key] = default
    value = int(where.number_input(label, lo, hi, key=key, **kw))
    _write(key, None if value == default else str(value))
    return value


def multiselect(where, label: str, options: Sequence, *, key: str, default: Sequence = (), **kw) -> list:
    options = list(options)
    allowed = set(options)

    def parse(text: str):
        return [v for v in text.split(SEPARATOR) if v in allowed]

    _restore(key, parse)
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    else:
        st.session_state[key] = [v for v in default if v in allowed]
    kw.setdefault("placeholder", "请选择")
    value = list(where.multiselect(label, options, key=key, **kw))
    _write(key, None if value == [v for v in default if v in allowed] else SEPARATOR.join(map(str, value)) or "")
    return value
