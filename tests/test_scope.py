"""Every catalogued dashboard query under a region scope (``dashboard/scope.py``): no row of an
agency outside the scope, and the same answers as the unscoped query with the scope's place as
its filter (so scoping hides other places without changing the figures of its own)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics.accounts import Region
from analytics.dashboard import queries, scope
from analytics.dashboard.db import Reader
from fixtures.gold_warehouse import DEMO_REGION, build_warehouse

COUNTY = Region(DEMO_REGION["province"], DEMO_REGION["city"], "甲区")
CITY = Region(DEMO_REGION["province"], DEMO_REGION["city"])


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Reader:
    return Reader(str(build_warehouse(tmp_path_factory.mktemp("scope") / "warehouse.duckdb")))


@pytest.fixture(scope="module")
def agencies(reader) -> pd.DataFrame:
    cur = reader.cursor()
    try:
        return cur.execute("SELECT agency_id, name, province, city, county FROM agencies").df()
    finally:
        cur.close()


def _run(reader, region, name, **overrides):
    fn, example = queries.CATALOGUE[name]
    cur = reader.cursor(region)
    try:
        return fn(cur, **{**example, **overrides})
    finally:
        cur.close()


def _examples(agencies, region):
    """Each query's example, and with an agency of the scope and one outside where it takes one."""
    inside = agencies[[region.contains(p, c, k) for p, c, k in
                       agencies[["province", "city", "county"]].itertuples(index=False)]]
    outside = agencies[~agencies["agency_id"].isin(inside["agency_id"])]
    for name, (fn, example) in sorted(queries.CATALOGUE.items()):
        yield name, {}
        if "agency_id" in example:
            yield name, {"agency_id": inside["agency_id"].iloc[0]}
            yield name, {"agency_id": outside["agency_id"].iloc[0]}
        if "agencies" in example:
            yield name, {"agencies": outside["agency_id"].tolist()}


def _leaks(df: pd.DataFrame, agencies: pd.DataFrame, region: Region) -> list:
    out = agencies[[not region.contains(p, c, k) for p, c, k in
                    agencies[["province", "city", "county"]].itertuples(index=False)]]
    found = []
    if "agency_id" in df:
        found += sorted(set(df["agency_id"].dropna()) & set(out["agency_id"]))
    if "name" in df:
        found += sorted(set(df["name"].dropna().astype(str).str.replace("（演示）", "")) & set(out["name"]))
    for part in ("province", "city", "county"):
        wanted = getattr(region, part)
        if wanted and part in df:
            found += sorted(set(df[part].dropna()) - {wanted})
    return found


@pytest.mark.parametrize("region", [COUNTY, CITY], ids=["county", "city"])
def test_no_catalogued_query_shows_an_agency_outside_the_scope(reader, agencies, region):
    checked = 0
    for name, overrides in _examples(agencies, region):
        df = _run(reader, region, name, **overrides)
        assert not _leaks(df, agencies, region), (name, overrides, _leaks(df, agencies, region))
        checked += 1
    assert checked > len(queries.CATALOGUE)


def test_the_scope_keeps_its_own_figures(reader, agencies):
    """Scoped without filters = unscoped with the scope's place as filters, for every query that
    takes the global filters (the precomputed whole-warehouse statistics are never used: under a
    scope the filters never choose the whole warehouse)."""
    place = {"province": COUNTY.province, "city": COUNTY.city, "county": COUNTY.county}
    compared = 0
    for name, (fn, example) in sorted(queries.CATALOGUE.items()):
        if "county" not in example:
            continue
        scoped = _run(reader, COUNTY, name)
        plain = _run(reader, None, name, **place)
        if name == "whole_warehouse":
            assert not bool(scoped.iloc[0, 0])
            continue
        pd.testing.assert_frame_equal(scoped.reset_index(drop=True), plain.reset_index(drop=True),
                                      check_dtype=False, obj=name)
        compared += 1
    assert compared >= 20


def test_a_new_relation_is_hidden_until_declared(reader):
    """A table holding none of the columns scope.py filters by is empty through the scope."""
    assert scope._predicate("some_new_table", ["x", "y"], "s", "wh") == "false"
    assert scope._predicate("metric_defs", ["key"], "s", "wh") == "true"
    cur = reader.cursor(COUNTY)
    try:
        assert cur.execute("SELECT count(*) FROM peer_stats").fetchone()[0] == 0
        assert cur.execute("SELECT count(*) FROM metric_defs").fetchone()[0] > 0
        names = {n for (n,) in cur.execute("SELECT DISTINCT name FROM agencies").fetchall()}
    finally:
        cur.close()
    assert names == {"演示市甲区人民政府", "演示市甲区自然资源局"}


def test_a_report_of_another_county_asked_for_by_id_is_not_there(reader, agencies):
    """报告详情 takes a report id from its URL: one of another county's reports shows nothing."""
    cur = reader.cursor()
    try:
        reports = cur.execute("SELECT r.report_id, a.county FROM reports r JOIN agencies a USING (agency_id) "
                              "WHERE r.is_current").fetchall()
    finally:
        cur.close()
    inside = [rid for rid, county in reports if county == COUNTY.county]
    outside = [rid for rid, county in reports if county != COUNTY.county]
    assert inside and outside
    for rid in inside[:1] + outside:
        for name in ("report_header", "report_cells"):
            shown = _run(reader, COUNTY, name, report_id=int(rid))
            assert shown.empty == (rid in outside), (name, rid)
