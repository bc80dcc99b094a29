"""Every chart and table of every page, as the browser receives them (AppTest on a small real
warehouse): a chart has a title and, where it has axes, titles on both of them; a year axis ticks
whole years; a table column of counts is never formatted with decimals; rules are named in Chinese."""

from __future__ import annotations

import base64
import json

import numpy as np

import pytest

from analytics.dashboard.labels import RULES, SEVERITIES
from analytics.dashboard.metrics import METRICS
from fixtures.app_test import app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse

PAGES = ["overview", "compare", "trends", "outcomes", "review", "active", "quality", "report", "profile", "builder", "upload"]
# The overview's other views below its cards (the quadrant is the one it opens with) and those of
# 地区对比 (it opens with the agency table), by URL.
VIEWS = {"overview_trends": ("overview", {"ov_view": "trends"}), "overview_top": ("overview", {"ov_view": "top"}),
         **{f"compare_{v}": ("compare", {"cmp_view": v}) for v in ("ranking", "distribution", "outliers", "heatmap", "side")}}
PAGES += list(VIEWS)
# Trace types drawn without cartesian axes.
NO_AXES = {"sankey", "sunburst", "treemap", "pie", "funnelarea", "icicle"}
# Formats of a number column that never show decimals of a whole number.
WHOLE_FORMATS = {"localized", "%d"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("charts") / "warehouse.duckdb")):
        yield {name: open_page(*VIEWS.get(name, (name,))) for name in PAGES}


def figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _title(obj) -> str:
    title = (obj or {}).get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return (title or "").strip()


def _axes(layout: dict, letter: str) -> dict[str, dict]:
    return {k: v for k, v in layout.items() if k == f"{letter}axis" or (k.startswith(f"{letter}axis") and k[5:].isdigit())}


def _values(values) -> list:
    """A trace's data array: Plotly writes a NumPy array as base64 (``{"dtype", "bdata"}``)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values or [])


def _is_years(values) -> bool:
    vals = [v for v in _values(values) if v is not None]
    try:
        nums = [float(v) for v in vals]
    except (TypeError, ValueError):
        return False
    return bool(nums) and all(n == int(n) and 2000 <= n <= 2100 for n in nums)


def test_every_page_has_charts_and_tables_to_check(pages):
    charted = [name for name, at in pages.items() if figures(at)]
    # Every page but the report detail, the custom report and the upload page draws charts on the
    # gold warehouse (地区对比 in every view but the agency table it opens with).
    assert set(charted) == set(PAGES) - {"report", "builder", "upload", "compare"}


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_has_a_title_and_axis_titles(pages, name):
    for i, fig in enumerate(figures(pages[name])):
        layout = fig["layout"]
        where = f"{name} chart {i}"
        assert _title(layout), f"{where}: no title"
        types = {t.get("type", "scatter") for t in fig["data"]}
        if types <= NO_AXES:
            continue
        for letter in "xy":
            titled = [k for k, ax in _axes(layout, letter).items() if _title(ax)]
            assert titled, f"{where}: no {letter} axis title"


@pytest.mark.parametrize("name", PAGES)
def test_year_axes_tick_whole_years(pages, name):
    checked = 0
    for i, fig in enumerate(figures(pages[name])):
        layout = fig["layout"]
        for trace in fig["data"]:
            if trace.get("type", "scatter") in NO_AXES or trace.get("orientation") == "h":
                continue
            if not _is_years(trace.get("x")):
                continue
            key = "xaxis" + (trace.get("xaxis", "x")[1:])
            ax = layout.get(key, {})
            categorical = ax.get("type") == "category" or all(isinstance(v, str) for v in _values(trace["x"]))
            assert categorical or (ax.get("dtick") == 1 and ax.get("tickformat") == "d"), \
                f"{name} chart {i}: year axis {key} may tick 2019.5 or 2,019: {ax}"
            checked += 1
    if name in ("overview_trends", "trends", "review", "active"):
        assert checked, f"{name}: no year axis found"


@pytest.mark.parametrize("name", PAGES)
def test_count_columns_never_show_decimals(pages, name):
    # A metric that is not a count (rates, per-100 ratios, amounts) may have decimals.
    decimal_ok = {m.label for m in METRICS.values() if m.kind != "count"}
    for i, df in enumerate(pages[name].dataframe):
        config = json.loads(df.proto.columns or "{}")
        frame = df.value
        for col in frame.columns:
            if not (frame[col].dtype.kind in "iuf"):
                continue
            fmt = ((config.get(col) or {}).get("type_config") or {}).get("format")
            assert fmt, f"{name} table {i}: number column {col} has no format (Streamlit's default shows 12.0000)"
            values = frame[col].dropna()
            whole = len(values) and (values == values.round()).all()
            if frame[col].dtype.kind in "iu" or (whole and "%%" not in fmt and col not in decimal_ok):
                assert fmt in WHOLE_FORMATS, f"{name} table {i}: count column {col} formatted {fmt}"


def test_rules_and_severities_are_named_in_chinese_with_the_code_beside(pages):
    at = pages["quality"]
    tables = [df.value for df in at.dataframe if {"规则", "代码", "级别"} <= set(df.value.columns)]
    assert len(tables) >= 2  # the summary and the list of findings
    for t in tables:
        assert t["代码"].isin(RULES.keys()).all()
        assert (t["规则"] == t["代码"].map(RULES)).all()
        assert t["级别"].isin(SEVERITIES.values()).all()
    by_rule = next(f for f in figures(at) if _title(f["layout"]) == "各规则的检查发现条数")
    assert set(_values(by_rule["data"][0]["y"])) <= set(RULES.values())


def test_every_rule_the_warehouse_runs_has_a_chinese_name():
    import re
    from pathlib import Path

    import analytics.warehouse.prose as prose

    sql = Path(prose.__file__).parent / "sql" / "rules"
    codes = {p.stem.upper() for p in sql.glob("*.sql")}
    text = Path(prose.__file__).read_text(encoding="utf-8")
    codes |= set(re.findall(r'_row\("([A-Z_]+)"', text))
    assert {"YEAR_IN_TEXT", "TEXT_VS_TABLE", "SECTION_MISSING", "FEE_WITHOUT_NOTE"} <= codes
    assert codes <= RULES.keys()
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in RULES[c]) for c in codes)


def test_coverage_lists_the_agencies_needing_attention_first_and_searches_names(pages):
    at = pages["quality"]
    grid = next(f for f in figures(at) if _title(f["layout"]).startswith("各机构各年度的报告"))
    rows = list(grid["data"][0]["y"])
    assert rows != sorted(rows)  # not alphabetical
    attention = next(df.value for df in at.dataframe if "缺少报告的年数" in df.value.columns)
    keys = list(zip(-attention["缺少报告的年数"], -attention["错误级发现条数"]))
    assert keys == sorted(keys) and len(keys) > 1
    assert rows[: len(attention)] == list(attention["机构"])  # the grid's top rows are the same agencies
    at.text_input(key="q_cov").set_value("演示市").run()
    assert not at.exception
    grid = next(f for f in figures(at) if _title(f["layout"]).startswith("各机构各年度的报告"))
    shown = list(grid["data"][0]["y"])
    assert shown and all("演示市" in n for n in shown)
    at.text_input(key="q_cov").set_value("").run()


def test_parse_warnings_name_fields_in_chinese():
    from analytics.dashboard.labels import warning_frame

    frame = warning_frame([{"code": "row_missing", "message": "表3 未读到行 new_received", "where": "page 3"},
                           {"code": "cell_missing", "message": "表3 denied_state_secret 未能确定: total", "where": None}])
    assert list(frame.columns) == ["代码", "说明", "位置"]
    assert frame["说明"].tolist() == ["表3 未读到行 “本年新收政府信息公开申请数量”", "表3 “属于国家秘密” 未能确定: “总计”"]
    assert frame["代码"].tolist() == ["row_missing", "cell_missing"]  # codes kept for experts
