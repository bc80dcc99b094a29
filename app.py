"""政府信息公开工作年度报告 · 分析看板 — entry point: ``streamlit run app.py``.

Every run starts in ``navigation.navigate``: ``st.navigation`` over the scripts in ``pages/``, and
the sidebar every page shares (page links, then the global filters); each page is a thin script
that arranges queries and charts from ``analytics.dashboard``.
"""

from analytics.dashboard import navigation

# Streamlit serves pages/ as a folder of pages, menu of file names included, until a first
# st.navigation call; .streamlit/config.toml hides that menu, and a page Streamlit runs without
# this script draws the same navigation itself (see analytics/dashboard/navigation.py).
# A parse worker (multiprocessing's forkserver) runs the main module of its parent as __mp_main__
# before its task: that run must not draw an app, nor ask a session that does not exist to sign in.
if __name__ != "__mp_main__":
    navigation.run(navigation.navigate())
