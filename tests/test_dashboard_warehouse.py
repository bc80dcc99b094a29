"""Every catalogued dashboard query runs on the small real warehouse of ``fixtures.gold_warehouse``,
and the figures the pages show match what pandas computes from the same rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics.dashboard import filters, queries
from analytics.dashboard.metrics import METRICS
from analytics.warehouse import connect_read
from fixtures.gold_warehouse import DEMO_AGENCIES, build_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def con(warehouse):
    c = connect_read(warehouse)
    yield c
    c.close()


def _all_years(con):
    years = queries.filter_years(con)["year"].tolist()
    return filters.example(year_from=min(years), year_to=max(years))


@pytest.mark.parametrize("name", sorted(queries.CATALOGUE))
def test_every_catalogued_query_runs(con, name):
    fn, example = queries.CATALOGUE[name]
    df = fn(con, **example)
    assert isinstance(df, pd.DataFrame)
    assert len(df.columns) > 0


def test_every_sql_file_is_catalogued():
    used = set()
    for name, (fn, example) in queries.CATALOGUE.items():
        used.add(fn.__name__)
    # Each SQL file is run by the function of the same name (metric_peers runs twice with two orders).
    assert set(queries.sql_names()) - used == set()


def test_group_rate_is_sum_of_numerators_over_sum_of_denominators(con):
    params = _all_years(con)
    kpi = queries.kpi_by_year(con, **params)
    raw = con.execute("SELECT year, denial_rate_num, denial_rate_den FROM report_metrics").df()
    for _, row in kpi.iterrows():
        part = raw[raw["year"] == row["year"]]
        den = part["denial_rate_den"].sum()
        expected = part["denial_rate_num"].sum() / den if den else None
        assert row["n_reports"] == len(part)
        if expected is None:
            assert pd.isna(row["denial_rate"])
        else:
            assert row["denial_rate"] == pytest.approx(expected)


def test_region_and_dataset_filters_restrict_rows(con):
    params = _all_years(con)
    everything = queries.top_agencies(con, **params, limit=1000)
    demo_only = queries.top_agencies(con, **{**params, "datasets": ["demo"]}, limit=1000)
    real_only = queries.top_agencies(con, **{**params, "datasets": ["real"]}, limit=1000)
    assert len(demo_only) == len(DEMO_AGENCIES)
    assert all(n.endswith("（演示）") for n in demo_only["name"])
    assert not any(n.endswith("（演示）") for n in real_only["name"])
    assert len(everything) == len(demo_only) + len(real_only)
    county = queries.top_agencies(con, **{**params, "province": "演示省", "city": "演示市", "county": "甲区"}, limit=1000)
    assert len(county) == sum(1 for a in DEMO_AGENCIES if a[3] == "甲区")


def test_peer_statistics_match_pandas(con):
    params = {**_all_years(con), "datasets": ["demo"]}
    df = queries.metric_peers(con, **params, metric="grant_rate", order="desc", limit=100)
    raw = con.execute("SELECT agency_id, level, kind, grant_rate_num, grant_rate_den FROM report_metrics "
                      "WHERE dataset = 'demo'").df()
    per = raw.groupby(["agency_id", "level", "kind"], as_index=False)[["grant_rate_num", "grant_rate_den"]].sum()
    per["value"] = per["grant_rate_num"] / per["grant_rate_den"].where(per["grant_rate_den"] != 0)
    per["median"] = per.groupby(["level", "kind"])["value"].transform("median")
    merged = df.merge(per, on="agency_id")
    assert len(merged) == len(per.dropna(subset=["value"]))
    assert merged["value_x"].tolist() == pytest.approx(merged["value_y"].tolist())
    assert merged["peer_median"].tolist() == pytest.approx(merged["median"].tolist())
    assert df["value"].is_monotonic_decreasing


def test_unknown_identifiers_are_refused(con):
    with pytest.raises(ValueError):
        queries.metric_trend(con, **filters.example(), metric="applications; DROP TABLE reports")
    with pytest.raises(ValueError):
        queries.metric_trend(con, **filters.example(), group="name)--")
    assert set(queries.GROUPS) >= {"level", "kind", "province", "city", "county", "agency"}
    assert all(k in METRICS for k in ("substantive_disclosure_rate", "denial_rate"))


def test_search_text_is_a_parameter(con):
    df = queries.report_search(con, **_all_years(con), q="' OR 1=1 --", limit=50)
    assert df.empty
    df = queries.report_search(con, **_all_years(con), q="平潭", limit=50)
    assert len(df) > 0 and all("平潭" in n for n in df["name"])


def test_warehouse_has_what_the_pages_show(con):
    assert queries.ingest_refused(con, limit=10)["reason"].str.len().min() > 0
    summary = queries.findings_summary(con, **_all_years(con))
    assert (summary["severity"] == "error").any()
    assert set(queries.filter_datasets(con)["dataset"]) == {"real", "demo"}


def test_summed_columns_come_in_the_order_asked_for(con):
    """The queries that pick columns by name return them in the caller's order, not the table's."""
    from analytics.dashboard.metrics import HEADLINE

    p = _all_years(con)
    assert list(queries.outcome_totals(con, **p).columns) == ["n_reports", *queries.OUTCOME_COLUMNS]
    agencies = queries.top_agencies(con, **p, limit=3)["agency_id"].tolist()
    side = queries.agency_outcomes(con, **p, agencies=agencies)
    assert len(side) == 3
    assert list(side.columns) == ["agency_id", "name", "n_reports", *queries.OUTCOME_COLUMNS,
                                  *queries.REVIEW_COLUMNS]
    kpi = queries.kpi_by_year(con, **p)
    assert list(kpi.columns) == ["year", "n_reports", "n_demo", "applications",
                                 *[f"{k}_{part}" for k in HEADLINE for part in ("num", "den")], *HEADLINE]


def test_heatmap_of_no_known_metric_lists_the_largest_agencies(con):
    p = _all_years(con)
    largest = queries.top_agencies(con, **p, limit=4)
    for lookups in (True, False):
        df = queries.metric_heatmap(con, **p, limit=4, metrics=["not_a_metric"], lookups=lookups)
        assert list(df.columns) == ["agency_id", "name", "size"]
        assert sorted(df["size"], reverse=True) == sorted(largest["applications"], reverse=True)


@pytest.mark.parametrize("lookups", [True, False])
def test_heatmap_percentiles_match_pandas_ranks(con, lookups):
    """Every heat-map rate, looked up in metric_ecdf or counted over the chosen agencies, is the
    agency's rank among all agencies (ties at their lowest rank), summed from report_metrics."""
    params = _all_years(con)
    keys = queries.HEATMAP_METRICS
    df = queries.metric_heatmap(con, **params, limit=5, metrics=keys, lookups=lookups)
    wanted = ["agency_id", "applications_num"] + [f"{k}_{p}" for k in keys for p in ("num", "den")]
    raw = con.execute(f"SELECT {', '.join(wanted)} FROM report_metrics").df()
    per = raw.groupby("agency_id").sum(min_count=1)
    assert len(df) == 5
    assert list(df["size"]) == sorted(per["applications_num"].nlargest(5), reverse=True)
    for k in keys:
        value = per[k + "_num"] / per[k + "_den"].where(per[k + "_den"] != 0)
        ranks = (value.rank(method="min") - 1) / (value.count() - 1)
        for agency, pct in zip(df["agency_id"], df[k]):
            expected = ranks[agency]
            assert (pd.isna(pct) and pd.isna(expected)) or pct == pytest.approx(expected), (k, agency)


def test_heatmap_sums_a_shared_denominator_once():
    columns, picked = queries.summed_columns(["applications", *queries.HEATMAP_METRICS])
    assert picked["grant_rate"][1] == picked["denial_rate"][1] == picked["unable_rate"][1]
    assert picked["completion_rate"][0] == picked["grant_rate"][1]  # processed is both
    assert picked["applications"] == ("applications_num", None)
    assert len(columns) == len(set(columns)) < 1 + 2 * len(queries.HEATMAP_METRICS)
    for k, (num, den) in picked.items():  # each column read holds the metric's own expression
        assert _expression(num) == _normal(METRICS[k].num)
        assert den is None or _expression(den) == _normal(METRICS[k].den)


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def _expression(column: str) -> str:
    key, part = column.rsplit("_", 1)
    return _normal(getattr(METRICS[key], part))


def test_default_view_tables_give_the_computed_answers(con):
    """Real and demo agencies, some without a kind: the lookups in peer_stats / peer_ecdf /
    metric_ecdf equal the figures computed over every agency."""
    from fixtures.default_view import assert_default_view_matches

    assert assert_default_view_matches(con, _all_years(con)) > 100


@pytest.mark.parametrize("year_from", [2019, 1880])  # years as bits of a number; too many for it
def test_coverage_counts_the_missing_years_either_way(con, year_from):
    p = {**_all_years(con), "year_from": year_from}
    got = queries.coverage(con, **p, limit=1000).drop_duplicates("agency_id").set_index("agency_id")
    years = con.execute("SELECT agency_id, count(DISTINCT year) AS n FROM report_wide WHERE is_current "
                        "AND year BETWEEN $a AND $b GROUP BY 1", {"a": year_from, "b": p["year_to"]}).df()
    held = years.set_index("agency_id")["n"].reindex(got.index, fill_value=0)
    assert len(got) > 0
    assert (got["n_missing"] == p["year_to"] - year_from + 1 - held).all()
