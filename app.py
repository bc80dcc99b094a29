"""政府信息公开工作年度报告 · 分析看板 — entry point: ``streamlit run app.py``.

The sidebar filters are rendered here, so every page shares them; each page is a thin script in
``pages/`` that arranges queries and charts from ``analytics.dashboard``.
"""

import streamlit as st

from analytics.dashboard import db, sidebar

st.set_page_config(page_title="政府信息公开年报分析", page_icon=":material/analytics:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/compare.py", title="地区对比", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/trends.py", title="趋势", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/outcomes.py", title="办理结果", icon=":material/account_tree:", url_path="outcomes"),
    st.Page("pages/review.py", title="复议诉讼", icon=":material/gavel:", url_path="review"),
    st.Page("pages/active.py", title="主动公开", icon=":material/campaign:", url_path="active"),
    st.Page("pages/quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"),
    st.Page("pages/report.py", title="报告详情", icon=":material/description:", url_path="report"),
    st.Page("pages/upload.py", title="数据导入", icon=":material/upload_file:", url_path="upload"),
]

page = st.navigation(PAGES)
# The chosen report belongs to the 报告详情 page's URL only.
if page.url_path != "report" and "report" in st.query_params:
    del st.query_params["report"]
if db.file_version(db.db_path()) is not None:
    sidebar.render()
elif page.url_path != "upload":
    st.warning(f"还没有数据仓库（{db.db_path()}）。请先运行 `analytics setup` 或在“数据导入”页面上传报告。")
    st.stop()
page.run()
