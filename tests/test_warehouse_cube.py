"""The summary models (region_year, agency_window) and the sorted report_wide after a real load +
refresh into a real DuckDB file."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analytics.dashboard import queries as Q
from analytics.metrics import METRICS
from analytics.warehouse import load_records, models, wide
from analytics.warehouse.wide import PART_COLS
from fixtures.records import fresh_warehouse, make_record

PLACES = [("江苏省淮安市人民政府", "2021"), ("浙江省杭州市人民政府", "2021"), ("江苏省人民政府", "2019"),
          ("江苏省南京市人民政府", "2021")]


KEYS = ["dataset", "province", "city", "county", "level", "kind", "year", "template"]


def summed_columns() -> list[str]:
    """Every report_wide column after the descriptive ones (report_id … parent_id)."""
    cols = wide.wide_columns()
    return cols[cols.index("parent_id") + 1:]


def metric_columns() -> list[str]:
    return [f"{k}_{part}" for k in METRICS for part in ("num", "den")]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = fresh_warehouse(tmp_path_factory.mktemp("cube") / "wh.duckdb")
    # Two loads: the second appends rows in load order, which the refresh must sort again.
    load_records(path, [make_record(a, 2022, template=t) for a, t in PLACES[:2]])
    load_records(path, [make_record(a, y, template=t) for a, t in PLACES for y in (2023, 2024)])
    return path


def test_cube_sums_equal_report_wide_sums(db):
    con = duckdb.connect(db, read_only=True)
    cols = summed_columns() + metric_columns()
    keys = ", ".join(KEYS)
    cube = con.execute(f"SELECT {keys}, n_reports, {', '.join(cols)} FROM region_year ORDER BY ALL").df()
    wkeys = ", ".join(f"w.{k}" for k in KEYS)
    sums = [f"sum(w.{c}) AS {c}" for c in summed_columns()] + [f"sum(m.{c}) AS {c}" for c in metric_columns()]
    direct = con.execute(
        f"SELECT {wkeys}, count(*) AS n_reports, {', '.join(sums)} FROM report_wide w "
        "JOIN report_metrics m ON m.report_id = w.report_id WHERE w.is_current GROUP BY ALL ORDER BY ALL").df()
    assert len(cube) == len(direct) > 1
    pd.testing.assert_frame_equal(cube, direct, check_dtype=False)


def test_report_wide_is_sorted_by_place_after_refresh(db):
    con = duckdb.connect(db, read_only=True)
    got = con.execute("SELECT province, city, county, agency_id, year FROM report_wide").fetchall()
    key = lambda r: tuple(("" if v is None else str(v)) for v in r)  # noqa: E731
    assert len(got) == 10 and got == sorted(got, key=key)


def test_applicant_outcomes_from_cube_match_the_cells(db):
    con = duckdb.connect(db, read_only=True)
    got = Q.applicant_outcomes(con, **Q.flt.example(year_from=2022, year_to=2024))
    cells = con.execute(
        "SELECT row_key, col_key, sum(value) AS v FROM cells JOIN reports USING (report_id) "
        "WHERE is_current AND tbl = 'applications' AND col_key <> 'total' GROUP BY ALL").df()
    want = cells[cells.row_key.str.startswith("denied_")].groupby("col_key").v.sum()
    have = got[got["group"] == "denied"].set_index("col_key")["value"]
    assert set(have.index) == set(PART_COLS)
    assert (have.sort_index() == want.sort_index()).all() and have.sum() > 0


def test_a_warehouse_built_by_older_code_is_upgraded_when_read(tmp_path):
    """An older file (no summary tables, another schema hash) is brought up to date on first read."""
    from analytics.warehouse import connect_read

    path = fresh_warehouse(tmp_path / "old.duckdb")
    load_records(path, [make_record(PLACES[0][0], 2023)])
    con = duckdb.connect(path)
    con.execute("DROP TABLE region_year")
    con.execute("DROP TABLE agency_total")
    con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema'")
    con.close()
    read = connect_read(path)
    got = Q.outcome_totals(read, **Q.flt.example(year_from=2023, year_to=2023))
    assert int(got["n_reports"].iloc[0]) == 1 and got["a_granted"].iloc[0] > 0
    assert read.execute("SELECT count(*) FROM agency_total").fetchone()[0] == 1


@pytest.mark.parametrize("totals", [True, False])
@pytest.mark.parametrize("years", [(2022, 2024), (2023, 2024), (2022, 2022), (2024, 2024), (2021, 2030)])
def test_agency_window_sums_any_range_of_years(db, years, totals):
    """Read from agency_total where an agency's reports all lie in the range (or never, with
    use_totals false), summed otherwise: the same rows as summing report_metrics per agency."""
    _assert_window_is_the_sum(duckdb.connect(db, read_only=True), years, totals)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory):
    """Agencies with a year missing between two reports, and one that starts later."""
    path = fresh_warehouse(tmp_path_factory.mktemp("gaps") / "wh.duckdb")
    load_records(path, [make_record(PLACES[0][0], y) for y in (2020, 2022, 2023)]
                 + [make_record(PLACES[1][0], y) for y in (2021, 2024)]
                 + [make_record(PLACES[3][0], y) for y in (2023, 2024)])
    return path


@pytest.mark.parametrize("totals", [True, False])
@pytest.mark.parametrize("years", [(2021, 2021), (2021, 2023), (2022, 2024), (2020, 2022), (2024, 2030)])
def test_agency_window_over_missing_years(gaps, years, totals):
    """A range that cuts an agency's years, falls in a gap of them or holds only some: the rows of
    agency_window are still the per-agency sums (none for an agency without a report in it)."""
    _assert_window_is_the_sum(duckdb.connect(gaps, read_only=True), years, totals)


def test_agency_since_holds_the_sums_from_each_year_on(gaps):
    """Each row of agency_since: the agency's reports of that year and later, summed, and the year
    of its report before (the row agency_window reads for a range that cuts the agency's start)."""
    con = duckdb.connect(gaps, read_only=True)
    cols = metric_columns()
    got = con.execute(f"SELECT agency_id, year, prev_year, n_reports, {', '.join(cols)} FROM agency_since "
                      "ORDER BY agency_id, year").df()
    sums = ", ".join(f"sum(l.{c}) AS {c}" for c in cols)
    want = con.execute(
        f"SELECT r.agency_id, r.year, (SELECT max(p.year) FROM report_metrics p WHERE p.agency_id = r.agency_id "
        f"AND p.year < r.year) AS prev_year, count(*) AS n_reports, {sums} FROM report_metrics r "
        "JOIN report_metrics l ON l.agency_id = r.agency_id AND l.year >= r.year "
        "GROUP BY r.agency_id, r.year ORDER BY r.agency_id, r.year").df()
    assert len(got) == len(want) == 7  # 3 + 2 + 2 reports
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def _assert_window_is_the_sum(con, years, totals):
    cols = metric_columns()
    got = con.execute(
        f"SELECT agency_id, name, level, kind, n_reports, {', '.join(cols)} FROM agency_window($m, $a, $b, NULL, "
        "NULL, NULL, [], [], ['real', 'demo', 'synth'], $t) ORDER BY agency_id",
        {"m": list(METRICS), "a": years[0], "b": years[1], "t": totals}).df()
    sums = ", ".join(f"sum({c}) AS {c}" for c in cols)
    want = con.execute(
        f"SELECT agency_id, any_value(name) AS name, any_value(level) AS level, any_value(kind) AS kind, "
        f"count(*) AS n_reports, {sums} FROM report_metrics WHERE year BETWEEN $a AND $b "
        "GROUP BY agency_id ORDER BY agency_id", {"a": years[0], "b": years[1]}).df()
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_models_are_built_after_what_they_read():
    order = models.build_order()
    assert order[0] == "report_metrics"
    for later in ("agency_total", "region_year", "agency_window"):
        assert order.index("agency_year") < order.index(later)
    assert order.index("agency_metric") < order.index("peer_ecdf")
    assert order.index("warehouse_span") < order.index("whole_warehouse")
