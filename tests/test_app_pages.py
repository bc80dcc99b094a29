"""Every page under Streamlit's AppTest on a small real warehouse: no exception, the expected
charts and tables, filters that change the numbers and survive the URL round trip."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics.dashboard import queries
from analytics.dashboard.filters import example
from analytics.dashboard.metrics import HEADLINE, METRICS, fmt
from analytics.warehouse import connect_read
from fixtures.app_test import app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("app") / "warehouse.duckdb")) as path:
        yield path


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_cards_trends_and_top_agencies(warehouse):
    at = open_page()
    assert at.title[0].value == "总览"
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["已导入报告数", "新收申请量"]
    assert labels[2:] == [METRICS[k].label for k in HEADLINE]
    assert any("演示数据" in i.value for i in at.info)  # demo data is present and marked
    # Below the cards one view at a time, the quadrant first: only the chosen view is built.
    view = at.segmented_control(key="ov_view")
    assert view.value == "quadrant"
    assert [c.proto.id.rpartition("-")[2] for c in at.get("plotly_chart")] == ["quadrant"]
    assert len(at.dataframe) == 0  # the quadrant's agencies are built when their popover opens
    at.session_state["ov_quadrant_details"] = True
    at.run()
    assert len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == sum(int(m.group(1)) for m in (re.search(r"（(\d+) 个）", md.value)
                                                                         for md in at.markdown) if m)
    view.set_value("trends").run()
    assert not at.exception
    assert charts(at) == len(labels)  # one trend per card
    assert len(at.dataframe) == 0
    at.segmented_control(key="ov_view").set_value("top").run()
    assert not at.exception
    assert charts(at) == 1 and len(at.dataframe) == 1  # the largest agencies, as bars and as a table


def test_overview_undefined_rates_show_a_dash(warehouse):
    with connect_read(warehouse) as con:
        kpi = queries.kpi_by_year(con, **example(year_from=2019, year_to=2025))
    at = open_page()
    year = int(at.session_state["active_filters"].year_to)
    row = kpi[kpi["year"] == year].iloc[0]
    shown = metric_values(at)
    for key in HEADLINE:
        expected = "—" if not row[key + "_den"] else fmt(key, row[key])
        assert shown[METRICS[key].label] == expected


def test_a_filter_change_changes_the_numbers(warehouse):
    at = open_page()
    before = metric_values(at)
    at.selectbox(key="f_province").set_value("演示省").run()
    assert not at.exception
    after = metric_values(at)
    assert after["已导入报告数"] != before["已导入报告数"]
    assert at.query_params["province"] == ["演示省"] or at.query_params["province"] == "演示省"
    at.multiselect(key="f_datasets").set_value(["real"]).run()
    assert not any("演示数据" in i.value for i in at.info)
    assert metric_values(at)["已导入报告数"] in ("0", "—")  # the demo province has no real reports


def test_filters_come_back_from_the_url(warehouse):
    at = open_page("compare", query={"years": "2021-2023", "province": "演示省", "dataset": "demo",
                                     "level": "county"})
    f = at.session_state["active_filters"]
    assert (f.year_from, f.year_to, f.province, f.datasets, f.levels) == (2021, 2023, "演示省", ["demo"], ["county"])
    names = set(at.dataframe[0].value["机构"])
    assert names and all(n.endswith("（演示）") for n in names)
    assert all("区" in n or "县" in n for n in names)


def test_compare_page(warehouse):
    at = open_page("compare", query={"cmp_rows": "all"})
    # One view at a time, the agency table first: no chart is built until another view is chosen.
    assert at.segmented_control(key="cmp_view").value == "table"
    assert charts(at) == 0 and len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert {"机构", "实质公开率", "报告数"} <= set(table.columns)
    before = len(table)
    at.multiselect(key="f_datasets").set_value(["real"]).run()
    assert len(at.dataframe[0].value) < before
    drawn = {}
    for view in ("ranking", "distribution", "outliers", "heatmap", "side"):
        at.segmented_control(key="cmp_view").set_value(view).run()
        assert not at.exception, view
        drawn[view] = [c.proto.id.rpartition("-")[2] for c in at.get("plotly_chart")]
    assert drawn == {"ranking": ["ranking"], "distribution": ["distribution"], "outliers": ["funnel"],
                     "heatmap": ["heatmap"], "side": ["side_by_side"]}
    at.segmented_control(key="cmp_view").set_value("ranking").run()
    at.selectbox(key="cmp_metric").set_value("denial_rate").run()
    assert not at.exception
    assert any("不予公开率" in e.label for e in at.expander)


def test_compare_table_offers_the_largest_agencies_only_when_there_are_many(warehouse):
    at = open_page("compare")
    total = int(re.search(r"共 (\d+) 个机构", " ".join(c.value for c in at.caption)).group(1))
    assert total <= 100  # the gold warehouse: every agency in the grid, no choice of rows
    assert len(at.dataframe[0].value) == total
    assert not [r for r in at.radio if r.key == "cmp_rows"]
    assert [b.proto.id.rpartition("-")[2] for b in at.get("download_button")] == ["dl_agency_metrics"]


def test_trends_page(warehouse):
    at = open_page("trends")
    assert charts(at) == 3  # trend, small multiples, composition
    at.selectbox(key="tr_group").set_value("agency").run()
    assert not at.exception
    assert len(at.multiselect(key="tr_agencies").value) == 5
    at.selectbox(key="tr_metric").set_value("net_new_normative").run()
    assert not at.exception
    assert any("模板分界" in c.value for c in at.caption)


def test_outcomes_page(warehouse):
    at = open_page("outcomes")
    assert charts(at) == 4  # hierarchy, refusal reasons, applicant types, sankey
    at.radio(key="oc_kind").set_value("treemap").run()
    assert not at.exception
    assert len(at.dataframe) == 3


def test_review_page(warehouse):
    at = open_page("review")
    assert charts(at) == 5  # results, stages, yearly rates, ranking, control funnel
    assert [m.label for m in at.metric] == [METRICS[k].label for k in
                                            ("review_correction_rate", "litigation_correction_rate", "dispute_rate")]


def test_active_page_keeps_templates_apart(warehouse):
    at = open_page("active")
    headers = [h.value for h in at.header]
    assert "2021 版模板" in headers and "2019 版模板" in headers
    assert charts(at) >= 5
    cols_2021 = set(at.dataframe[0].value.columns)
    cols_2019 = set(at.dataframe[1].value.columns)
    assert any("本年制发件数" in c for c in cols_2021) and not any("本年制发件数" in c for c in cols_2019)
    assert any("本年新制作数量" in c for c in cols_2019) and not any("本年新制作数量" in c for c in cols_2021)


def test_quality_page(warehouse):
    at = open_page("quality")
    assert charts(at) >= 1  # coverage grid (and findings by rule when there are findings)
    assert at.dataframe[0].value.columns[0] == "年份"


def test_report_page_shows_tables_sources_and_previous_year(warehouse):
    at = open_page("report")
    assert at.text_input(key="rp_q")
    at.text_input(key="rp_q").set_value("演示市教育局").run()
    ids = at.selectbox(key="rp_id").options
    assert ids
    at.selectbox(key="rp_id").select_index(0).run()  # newest year first: it has a previous year
    assert not at.exception
    assert "上一年报告" not in " ".join(c.value for c in at.caption)  # this year alone by default
    at.radio(key="rp_years").set_value("本年与上一年（上下对照）").run()
    captions = " ".join(c.value for c in at.caption)
    assert "上一年报告" in captions
    frames = [d.value for d in at.dataframe]
    assert sum("自然人" in df.columns for df in frames) >= 2  # both years' table 3, one under the other
    assert any("来源位置" in df.columns for df in frames)
    assert at.query_params["report"]


def _table_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("page, prefix", [("compare", "cmp"), ("review", "rv")])
def test_a_ranking_puts_every_agency_under_the_minimum_denominator_last(warehouse, page, prefix):
    metric = "denial_rate" if page == "compare" else "review_correction_rate"
    query = {f"{prefix}_metric": metric, f"{prefix}_min_den": "5"}
    at = open_page(page, query={**query, "cmp_view": "ranking"} if page == "compare" else query)
    assert at.number_input(key=f"{prefix}_min_den").value == 5
    table = _table_with(at, "说明")
    den = table.filter(like="分母").iloc[:, 0]
    below = den < 5
    # every row at or above the minimum comes before every row below it
    assert list(below) == sorted(below)
    assert table.loc[below, "说明"].str.contains("分母不足 5 件").all()
    assert (table.loc[~below, "说明"] == "").all()
    assert {"95% 区间下限", "95% 区间上限"} <= set(table.columns)


def test_the_funnel_lists_outliers_with_observed_and_expected_counts(warehouse):
    at = open_page("compare", query={"cmp_metric": "denial_rate", "cmp_view": "outliers"})
    funnel = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith("-funnel")]
    assert funnel and "漏斗图" in funnel[0]["layout"]["title"]["text"]
    assert {t.get("name") for t in funnel[0]["data"]} >= {"99.8% 控制限", "95% 控制限"}
    tables = [d.value for d in at.dataframe if "期望数（件）" in d.value.columns]
    if tables:  # outliers of this warehouse, if any, with their counts
        out = tables[0]
        assert ((out["观察数（件）"] > out["期望数（件）"]) == out["判断"].str.contains("偏高")).all()


def test_year_on_year_compares_the_agencies_that_reported_in_both_years(warehouse):
    """The card's change equals a hand computation over the matched agencies."""
    with connect_read(warehouse) as con:
        rows = con.execute("SELECT agency_id, year, denial_rate_num AS num, denial_rate_den AS den "
                           "FROM report_metrics").df()
    years = sorted(rows["year"].unique())
    for year in reversed(years[1:]):
        pair = rows[rows["year"].isin([year - 1, year])]
        both = pair.groupby("agency_id")["year"].nunique()
        matched = pair[pair["agency_id"].isin(both[both == 2].index)]
        by_year = matched.groupby("year")[["num", "den"]].sum()
        if len(by_year) == 2 and (by_year["den"] > 0).all() and len(both[both == 2]) < pair["agency_id"].nunique():
            break  # a year whose matched agencies are fewer than all: the two figures differ
    rate = by_year["num"] / by_year["den"]
    at = open_page(query={"years": f"{years[0]}-{year}"})
    card = next(m for m in at.metric if m.label == METRICS["denial_rate"].label)
    assert card.proto.delta == f"{(rate[year] - rate[year - 1]) * 100:+.1f} 个百分点"
    assert any(f"两年都有报告的 {both[both == 2].size:,} 个机构" in c.value for c in at.caption)


def test_the_quadrant_places_each_agency_against_the_region_rates(warehouse):
    at = open_page()
    at.session_state["ov_quadrant_details"] = True
    at.run()
    table = next(d.value for d in at.dataframe if "象限" in d.value.columns)
    assert len(table) and (table["办理结果（件）"] >= 30).all() and (table["已审结复议（件）"] >= 5).all()
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith("-quadrant"))
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("不予公开率")


def test_the_demo_notice_shows_only_when_the_view_holds_demo_data(warehouse):
    at = open_page()
    assert any("演示数据" in i.value for i in at.info)
    at = open_page(query={"dataset": "real"})
    assert not any("演示数据" in i.value for i in at.info)
    with connect_read(warehouse) as con:
        real_only = con.execute("SELECT DISTINCT province FROM report_wide WHERE is_current AND province IS NOT NULL "
                                "GROUP BY province HAVING bool_and(dataset <> 'demo')").fetchall()
    if real_only:  # a region that holds no demo report: no notice, although demo data is chosen
        at = open_page(query={"province": real_only[0][0]})
        assert not any("演示数据" in i.value for i in at.info)
