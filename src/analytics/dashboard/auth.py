"""Who is using the app: signing in and out, the account of this session, its region.

With no account file (``accounts.users_path()``) the app runs in single-user local mode as it
always did, and says so in the sidebar of every page. With one, every run starts at ``gate``: a
session that has not signed in gets the sign-in page and nothing else. Two ways in:

- a name and password checked against the account file's Argon2 hashes (the default);
- Streamlit's own ``st.login`` when ``.streamlit/secrets.toml`` has an ``[auth]`` section (an OIDC
  provider; Streamlit needs Authlib for it): the provider's e-mail address is then looked up in
  the account file (``analytics users add ADDRESS --role … --oidc``, an account with no password), which gives role and region.

The session keeps only the account's name; every run reads the account file again (cached by its
modification time), so a removed account or a changed role takes effect at the next click.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path

import streamlit as st

from .. import accounts
from ..accounts import Account, Region
from .safe_text import md

SESSION = "auth_account"
LOCAL_NOTICE = "本地单用户模式：未启用账户"


# Failed sign-ins per account name, shared by every session of the server: after MAX_FAILS within
# WINDOW seconds the name is refused without checking a password (a hash costs 64 MiB and ~0.1 s).
MAX_FAILS, WINDOW = 5, 300
_FAILS: dict[str, list[float]] = {}
_FAILS_LOCK = threading.Lock()


def _recent_failures(name: str) -> list[float]:
    now = time.monotonic()
    with _FAILS_LOCK:
        kept = [t for t in _FAILS.get(name, []) if now - t < WINDOW]
        _FAILS[name] = kept
        return kept


def _note_failure(name: str) -> None:
    with _FAILS_LOCK:
        _FAILS.setdefault(name, []).append(time.monotonic())


class NotSignedIn(Exception):
    """Accounts are enabled and this session has not signed in: nothing may be read."""


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple) -> dict[str, Account]:
    return accounts.load(Path(path))


def _accounts() -> dict[str, Account] | None:
    """The account file's accounts, or None in local mode (no file)."""
    path = accounts.users_path()
    try:
        s = path.stat()
    except FileNotFoundError:
        return None
    return _load(str(path), (s.st_ino, s.st_mtime_ns, s.st_size))


def _oidc() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one that does not parse: no provider
        return False


def current() -> Account | None:
    """The signed-in account; None in local mode. Raises ``NotSignedIn`` when accounts are enabled
    and the session has none (or its account was removed)."""
    known = _accounts()
    if known is None:
        return None
    name = st.session_state.get(SESSION)
    if name is None and _oidc() and getattr(st.user, "is_logged_in", False):
        name = st.user.get("email")
    account = known.get(name) if name else None
    if account is None:
        st.session_state.pop(SESSION, None)
        raise NotSignedIn()
    return account


def region() -> Region:
    account = current()
    return Region() if account is None else account.region


def actor(default: str) -> str:
    account = current()
    return default if account is None else account.name


def _sign_in_page() -> None:
    st.title("登录")
    st.caption("政府信息公开年报分析 · 请使用管理员为您创建的账户登录。")
    if _oidc():
        st.button("使用单位统一身份认证登录", on_click=st.login, type="primary", key="auth_oidc")
        if getattr(st.user, "is_logged_in", False):
            st.error(f"账户 {md(st.user.get('email') or '')} 未在本系统登记，请联系管理员。")
            st.button("退出登录", on_click=st.logout, key="auth_oidc_out")
        st.divider()
    with st.form("auth_form"):
        name = st.text_input("账户名", key="auth_name")
        password = st.text_input("口令", type="password", key="auth_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        name = (name or "").strip()
        if len(_recent_failures(name)) >= MAX_FAILS:
            st.error(f"该账户登录失败次数过多，请 {WINDOW // 60} 分钟后再试。")
            return
        account = accounts.verify(name, password, accounts.users_path())
        if account is None:
            _note_failure(name)
            st.error("账户名或口令不正确。")
        else:
            with _FAILS_LOCK:
                _FAILS.pop(name, None)
            st.session_state[SESSION] = account.name
            st.rerun()


def gate() -> Account | None:
    """The session's account (None in local mode), or the sign-in page and the end of this run."""
    try:
        return current()
    except NotSignedIn:
        _sign_in_page()
        st.stop()
        raise


def sign_out() -> None:
    st.session_state.pop(SESSION, None)
    for key in [k for k in st.session_state if k != SESSION]:
        del st.session_state[key]
    if _oidc() and getattr(st.user, "is_logged_in", False):
        st.logout()


def badge(account: Account | None) -> None:
    """Who is signed in (name, role, region) with the sign-out button, or the local-mode notice."""
    # No captions here: a page's first caption is its own subtitle (tests and people read it so).
    if account is None:
        st.badge(LOCAL_NOTICE, icon=":material/person_off:", color="gray")
        return
    st.markdown(f":material/person: 当前用户：**{md(account.name)}**（{account.role}）  \n"
                f":small[地区：{md(account.region.label())}]")
    st.button("退出登录", on_click=sign_out, key="auth_sign_out")
