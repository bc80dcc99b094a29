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


# file, title, icon, url path: the pages of the menu in order (the first is the default page).
PAGE_SPECS = [
    ("overview.py", "总览", ":material/dashboard:", "index"),
    ("compare.py", "地区对比", ":material/compare_arrows:", "compare"),
    ("trends.py", "趋势", ":material/show_chart:", "trends"),
    ("outcomes.py", "办理结果", ":material/account_tree:", "outcomes"),
    ("review.py", "复议诉讼", ":material/gavel:", "review"),
    ("active.py", "主动公开", ":material/campaign:", "active"),
    ("quality.py", "数据质量", ":material/fact_check:", "quality"),
    ("report.py", "报告详情", ":material/description:", "report"),
    ("profile.py", "机构画像", ":material/account_balance:", "profile"),
    ("builder.py", "自定义报表", ":material/table_view:", "builder"),
    ("upload.py", "数据导入", ":material/upload_file:", "upload"),
]
# Pages only an account whose role may do the action is offered (the page refuses the others too).
PAGE_NEEDS = {"upload": "import"}


def pages() -> list[st.Page]:
    """The pages of the menu. New Page objects every run: a Page records whether it may still be run."""
    # The default page is served at the root URL; its own url_path ("index") is never shown.
    return [st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url, default=i == 0)
            for i, (file, title, icon, url) in enumerate(PAGE_SPECS)]


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
        for p, (_, _, _, url) in zip(listed, PAGE_SPECS):
            if url in PAGE_NEEDS and account is not None and not account.can(PAGE_NEEDS[url]):
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
