"""A page's own choices live in the URL: a link restores them, a change writes them, other pages drop them."""

from __future__ import annotations


import pytest

from fixtures.app_test import app_warehouse, open_page
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with app_warehouse(build_warehouse(tmp_path_factory.mktemp("state") / "warehouse.duckdb")) as path:
        yield path


def _param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_a_link_restores_the_choices_of_the_trends_page(warehouse):
    at = open_page("trends", query={"tr_metric": "denial_rate", "tr_group": "kind"})
    assert at.selectbox(key="tr_metric").value == "denial_rate"
    assert at.selectbox(key="tr_group").value == "kind"


def test_a_value_the_page_does_not_offer_falls_back_to_the_default(warehouse):
    at = open_page("trends", query={"tr_metric": "no_such_metric';--", "tr_group": "kind"})
    assert at.selectbox(key="tr_metric").value == "substantive_disclosure_rate"
    assert at.selectbox(key="tr_group").value == "kind"


def test_a_choice_is_written_to_the_url_and_the_default_is_not(warehouse):
    at = open_page("trends")
    assert _param(at, "tr_metric") is None
    at.selectbox(key="tr_metric").set_value("grant_rate").run()
    assert _param(at, "tr_metric") == "grant_rate"
    at.selectbox(key="tr_metric").set_value("substantive_disclosure_rate").run()
    assert _param(at, "tr_metric") is None


def test_selected_agencies_round_trip(warehouse):
    at = open_page("trends", query={"tr_group": "agency"})
    chosen = at.multiselect(key="tr_agencies")
    assert len(chosen.value) >= 3  # the default: the largest agencies
    at = open_page("trends", query={"tr_group": "agency", "tr_agencies": "~".join(chosen.value[1:3])})
    assert at.multiselect(key="tr_agencies").value == chosen.value[1:3]


def test_another_page_drops_the_choices_of_this_one(warehouse):
    at = open_page("trends", query={"tr_metric": "denial_rate"})
    at.switch_page("pages/outcomes.py").run()
    assert _param(at, "tr_metric") is None


def test_the_overview_view_round_trips_and_only_that_view_is_built(warehouse):
    at = open_page("overview", query={"ov_view": "top"})
    assert at.segmented_control(key="ov_view").value == "top"
    assert [c.proto.id.rpartition("-")[2] for c in at.get("plotly_chart")] == ["top_agencies"]
    at.segmented_control(key="ov_view").set_value("trends").run()
    assert _param(at, "ov_view") == "trends"
    assert all(c.proto.id.rpartition("-")[2].startswith("trend_") for c in at.get("plotly_chart"))
    at.segmented_control(key="ov_view").set_value("quadrant").run()
    assert _param(at, "ov_view") is None  # the default view keeps a plain URL
    at = open_page("overview", query={"ov_view": "no_such_view"})
    assert at.segmented_control(key="ov_view").value == "quadrant"


def test_the_compare_view_round_trips_and_keeps_the_choices_of_the_others(warehouse):
    at = open_page("compare", query={"cmp_view": "ranking", "cmp_limit": "30"})
    assert at.segmented_control(key="cmp_view").value == "ranking"
    assert at.number_input(key="cmp_limit").value == 30
    at.selectbox(key="cmp_metric").set_value("denial_rate").run()
    # Another view drops the ranking's widgets, not their choices: the URL keeps them, and the
    # metric is the same choice in every view that has one.
    at.segmented_control(key="cmp_view").set_value("outliers").run()
    assert _param(at, "cmp_view") == "outliers"
    assert at.selectbox(key="cmp_metric").value == "denial_rate"
    assert _param(at, "cmp_limit") == "30"
    at.segmented_control(key="cmp_view").set_value("ranking").run()
    assert at.number_input(key="cmp_limit").value == 30
    at.segmented_control(key="cmp_view").set_value("table").run()
    assert _param(at, "cmp_view") is None  # the default view keeps a plain URL
    at = open_page("compare", query={"cmp_view": "no_such_view"})
    assert at.segmented_control(key="cmp_view").value == "table"
