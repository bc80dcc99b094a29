"""Navigation and filter state of the app: only Streamlit's public API, no import cycle in the
dashboard package, and under AppTest (which serves every run in Streamlit's pages-folder mode, the
mode of a server's first session) a page opened on its own draws the same navigation, sidebar and
URL filters as when app.py runs it, once, with one filter state."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from analytics.dashboard import sidebar
from analytics.dashboard.filters import Filters
from fixtures.app_test import app_warehouse
from fixtures.gold_warehouse import DEMO_REGION, build_warehouse

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DASHBOARD = ROOT / "src" / "analytics" / "dashboard"
TITLES = ["总览", "地区对比", "趋势", "办理结果", "复议诉讼", "主动公开", "数据质量", "报告详情", "机构画像", "自定义报表", "数据导入"]
# Streamlit's documented modules; everything else under streamlit.* is its implementation.
PUBLIC_MODULES = {"column_config", "components"}


def _app_sources() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "src").rglob("*.py"))]


def _private(name: str) -> bool:
    """Whether ``streamlit.<name>`` is one of Streamlit's internal modules."""
    return name not in PUBLIC_MODULES and isinstance(getattr(streamlit, name, None), types.ModuleType)


def _private_uses(tree: ast.AST) -> list[str]:
    aliases = {"streamlit"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "streamlit" and len(parts) > 1 and parts[1] not in PUBLIC_MODULES:
                    found.append(f"import {a.name}")
                elif a.name == "streamlit":
                    aliases.add(a.asname or "streamlit")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "streamlit":
            parts = node.module.split(".")
            if len(parts) > 1 and parts[1] not in PUBLIC_MODULES:
                found.append(f"from {node.module} import …")
            elif len(parts) == 1:
                found += [f"from streamlit import {a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            head, _, rest = node.value.partition(".")
            if head == "streamlit" and rest and _private(rest.split(".")[0]):
                found.append(repr(node.value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and _private(node.attr)):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_checker_recognises_private_streamlit_api():
    sample = ast.parse("import streamlit as st\nfrom streamlit.runtime.pages_manager import PagesManager\n"
                       "import streamlit.web.server\nst.runtime.exists()\n"
                       "from streamlit.components.v1 import html\nst.navigation([])\nst.column_config.Column()")
    assert _private_uses(sample) == ["from streamlit.runtime.pages_manager import …", "import streamlit.web.server",
                                     "st.runtime"]


def test_app_uses_only_public_streamlit_api():
    found = {str(p.relative_to(ROOT)): _private_uses(ast.parse(p.read_text(encoding="utf-8")))
             for p in _app_sources()}
    assert {k: v for k, v in found.items() if v} == {}


def _dashboard_imports() -> dict[str, set[str]]:
    """Module -> the dashboard modules it imports, including imports inside functions."""
    names = {p.stem for p in DASHBOARD.glob("*.py")}
    graph = {}
    for p in DASHBOARD.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analytics.dashboard."):
                deps.add(node.module.split(".")[2])
        graph[p.stem] = deps & names
    return graph


def test_dashboard_modules_import_each_other_without_a_cycle():
    graph = _dashboard_imports()
    assert "ui" in graph["sidebar"] or "sidebar" in graph["ui"]  # the pair the check is about is seen
    done, path = set(), []

    def visit(module: str) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        path.append(module)
        for dep in sorted(graph[module]):
            visit(dep)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("nav") / "warehouse.duckdb")) as path:
        yield path


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _filter_states(at: AppTest) -> list[str]:
    return [k for k, v in at.session_state.items() if isinstance(v, Filters)]


def _check_shell_drawn_once(at: AppTest, title: str) -> None:
    assert [p.value for p in at.page_link] == TITLES
    assert [h.value for h in at.sidebar.header] == ["筛选"]
    assert [t.value for t in at.title] == [title]


def test_a_page_opened_by_url_gets_the_navigation_and_the_urls_filters(warehouse):
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["years"] = "2020-2023"
    at.query_params["province"] = DEMO_REGION["province"]
    at.switch_page("pages/compare.py")  # the first run of the session is the page's own
    _run(at)
    _check_shell_drawn_once(at, "地区对比")
    assert at.select_slider(key="f_years").value == ("2020", "2023")
    assert at.selectbox(key="f_province").value == DEMO_REGION["province"]
    assert f"{DEMO_REGION['province']}，2020–2023 年" in at.caption[0].value
    assert _filter_states(at) == [sidebar.STATE]
    f = at.session_state[sidebar.STATE]
    assert (f.year_from, f.year_to, f.province) == (2020, 2023, DEMO_REGION["province"])


def test_one_filter_state_follows_the_sidebar_from_page_to_page(warehouse):
    at = AppTest.from_file(APP, default_timeout=300)
    _run(at)
    _check_shell_drawn_once(at, "总览")
    assert _filter_states(at) == [sidebar.STATE]
    at.selectbox(key="f_province").set_value(DEMO_REGION["province"])
    _run(at)
    assert at.session_state[sidebar.STATE].province == DEMO_REGION["province"]
    at.switch_page("pages/trends.py")
    _run(at)
    _check_shell_drawn_once(at, "趋势")
    assert at.selectbox(key="f_province").value == DEMO_REGION["province"]
    assert DEMO_REGION["province"] in at.caption[0].value
    assert _filter_states(at) == [sidebar.STATE]
    at.sidebar.button(key="f_reset").click()
    _run(at)
    assert at.selectbox(key="f_province").value == "全部"
    assert at.session_state[sidebar.STATE].province is None
    assert "province" not in at.query_params


def _ids(at: AppTest) -> dict[str, str]:
    """Element identities of the sidebar's widgets and of the page's keyed charts."""
    keyed = {w.key: w.id for w in [*at.selectbox, *at.select_slider, *at.multiselect, *at.button] if w.key}
    charts = {c.proto.id.rpartition("-")[2]: c.proto.id for c in at.get("plotly_chart")}
    assert "f_province" in keyed and "quadrant" in charts
    return keyed | charts


def test_widgets_keep_their_identity_whether_app_py_or_the_page_alone_ran(warehouse):
    """Streamlit ties a widget's identity to the page script being run: when a page run on its own
    drew its widgets under another identity than app.py's runs, the first choice made on a page
    opened by URL was lost in the next run."""
    at = AppTest.from_file(APP, default_timeout=300)
    _run(at)  # app.py runs the default page
    by_app = _ids(at)
    _run(at)  # the same page, run on its own
    assert _ids(at) == by_app


def test_without_a_warehouse_every_page_but_upload_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "missing.duckdb"))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [p.value for p in at.page_link] == TITLES
    assert any("还没有数据仓库" in w.value for w in at.warning)
    assert not at.title
    at.switch_page("pages/upload.py")
    _run(at)
    assert [p.value for p in at.page_link] == TITLES
    assert [t.value for t in at.title] == ["数据导入"]
    assert at.file_uploader(key="up_files") is not None
