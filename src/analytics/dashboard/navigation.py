"""The app's pages and how every run reaches them with the same navigation and sidebar.

``app.py`` calls ``st.navigation`` over the scripts in ``pages/`` with Streamlit's own menu hidden,
and the sidebar gets a menu of page links with the Chinese titles instead. The reason is how
Streamlit treats an entry script with a ``pages/`` folder beside it: until the first
``st.navigation`` call of the server process it serves the app in its legacy pages-folder mode, in
which a script run first draws a menu of the file names (app, overview, compare…) and a page
opened by URL runs on its own, without ``app.py``. ``client.showSidebarNavigation = false`` in
``.streamlit/config.toml`` keeps that menu hidden, and it hides the one ``st.navigation`` draws in
the sidebar as well, hence the page links. A page run on its own calls ``ensure_navigation`` and
so does what ``app.py`` would have done; its ``st.navigation`` call also ends the pages-folder mode
for the rest of the process.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import auth, db, page_state, sidebar

# The pages by absolute path: Streamlit resolves a relative one against the script it was started
# with, which is pages/<page>.py itself when a page runs on its own (AppTest, an old bookmark).
PAGES_DIR = Path(__file__).resolve().parents[3] / "pages"

# Set by app.py just before it runs the page, taken by the page: present when app.py ran this run.
_DRAWN = "nav_drawn_by_app"

PAGE_CONFIG = {"page_title": "政府信息公开年报分析", "page_icon": ":material/analytics:", "layout": "wide"}


def pages() -> list[st.Page]:
    """The pages of the menu. New Page objects every run: a Page records whether it may still be run."""
    # The default page is served at the root URL; its own url_path ("index") is never shown.
    return [
        st.Page(PAGES_DIR / "overview.py", title="总览", icon=":material/dashboard:", url_path="index", default=True),
        st.Page(PAGES_DIR / "compare.py", title="地区对比", icon=":material/compare_arrows:", url_path="compare"),
        st.Page(PAGES_DIR / "trends.py", title="趋势", icon=":material/show_chart:", url_path="trends"),
        st.Page(PAGES_DIR / "outcomes.py", title="办理结果", icon=":material/account_tree:", url_path="outcomes"),
        st.Page(PAGES_DIR / "review.py", title="复议诉讼", icon=":material/gavel:", url_path="review"),
        st.Page(PAGES_DIR / "active.py", title="主动公开", icon=":material/campaign:", url_path="active"),
        st.Page(PAGES_DIR / "quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"),
        st.Page(PAGES_DIR / "report.py", title="报告详情", icon=":material/description:", url_path="report"),
        st.Page(PAGES_DIR / "profile.py", title="机构画像", icon=":material/account_balance:", url_path="profile"),
        st.Page(PAGES_DIR / "builder.py", title="自定义报表", icon=":material/table_view:", url_path="builder"),
        st.Page(PAGES_DIR / "upload.py", title="数据导入", icon=":material/upload_file:", url_path="upload"),
    ]


def overview_link() -> st.Page:
    """The default page is served at the root URL only (Streamlit gives it the url path ""), so
    /overview, a link people share, reaches the same script through this hidden page."""
    return st.Page(PAGES_DIR / "overview.py", title="总览", url_path="overview", visibility="hidden")


def url_name(page: st.Page) -> str:
    """The page's name in URLs, the same for the root URL and /overview."""
    return page.url_path or "overview"


def navigate() -> st.Page:
    """Page config, navigation and sidebar of this run; returns the page the URL asks for."""
    st.set_page_config(**PAGE_CONFIG)
    listed = pages()
    page = st.navigation(listed + [overview_link()], position="hidden")
    account = auth.gate()  # the sign-in page, and the end of this run, until someone signs in
    # The chosen report belongs to the 报告详情 page's URL only.
    if page.url_path != "report" and "report" in st.query_params:
        del st.query_params["report"]
    page_state.leave_others(url_name(page))
    with st.sidebar:
        auth.badge(account)
        for p in listed:
            # Importing is the 管理 role's: other accounts are not offered the page (it refuses them too).
            if p.url_path == "upload" and account is not None and not account.can("import"):
                continue
            st.page_link(p)
        st.divider()
    try:
        sidebar.render()
    except db.NoWarehouse:
        if page.url_path != "upload":
            st.warning(f"还没有数据仓库（{db.db_path()}）。请先运行 `analytics setup` 或在“数据导入”页面上传报告。")
            st.stop()
    return page


def run(page: st.Page) -> None:
    """Run the page ``navigate`` returned, telling it that its sidebar is drawn."""
    st.session_state[_DRAWN] = True
    page.run()


def ensure_navigation() -> None:
    """Make a page run the way app.py runs it. Run on its own by Streamlit, the page does what
    app.py does, running itself again through ``st.navigation``, and then stops the outer run.
    Run that way, its widgets keep the identity they have under app.py (Streamlit derives it from
    the page being run), so a click or a choice made on a page opened by URL still counts in the
    next run; a rerun into app.py instead would lose a button click of this run."""
    if st.session_state.pop(_DRAWN, False):
        return
    run(navigate())
    st.stop()
