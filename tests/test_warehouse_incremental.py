"""A small load recomputes only the summary rows it can change, and they are the rows a full
rebuild gives: every summary table of a real warehouse after incremental loads (new agencies, a
new version of a report, a government that becomes the parent of departments loaded before it)
compared with the same warehouse's tables rebuilt from scratch."""

from __future__ import annotations

import math

import pytest

from analytics.warehouse import load_records, write_session
from analytics.warehouse import models
from analytics.warehouse.models import BY_AGENCY, BY_PEERS, BY_REGION, build_order, is_table
from fixtures.records import fresh_warehouse, make_record


def _rows(con, table: str) -> list[tuple]:
    rows = con.execute(f"SELECT * FROM {table}").fetchall()  # table names from build_order()
    return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _tables(db) -> dict[str, list[tuple]]:
    with write_session(db) as con:
        return {t: _rows(con, t) for t in build_order() if is_table(t)}


def _rebuilt(db) -> dict[str, list[tuple]]:
    with write_session(db) as con:
        models.build(con)
        return {t: _rows(con, t) for t in build_order() if is_table(t)}


def _assert_equal(inc: dict, full: dict) -> None:
    assert inc.keys() == full.keys()
    for table in inc:
        a, b = inc[table], full[table]
        assert len(a) == len(b), f"{table}: {len(a)} rows incrementally, {len(b)} rebuilt"
        for x, y in zip(a, b):
            assert all(_same(u, v) for u, v in zip(x, y)), f"{table}: {x} != {y}"


def _prose(name: str) -> dict:
    """Prose long enough for a text signature, the same each year (so the quality score has a copy rate)."""
    return {"overview": f"{name}认真贯彻落实《中华人民共和国政府信息公开条例》，" * 12}


@pytest.fixture
def db(tmp_path):
    path = fresh_warehouse(tmp_path / "w.duckdb")
    first = [make_record(name, year, sections=_prose(name)) for name in ("江苏省淮安市教育局", "江苏省淮安市民政局", "江苏省南京市教育局",
                                                 "浙江省杭州市财政局", "江苏省淮安市洪泽区人民政府")
             for year in (2022, 2023)]
    first[0]["review_litigation"]["review"]["total"] = 0  # a finding
    load_records(path, first)
    return path


def test_every_summary_table_is_listed_or_rebuilt_whole():
    tables = {t for t in build_order() if is_table(t)}
    assert set(BY_AGENCY) | set(BY_REGION) | set(BY_PEERS) <= tables
    # rebuilt whole: two global statistics
    assert tables - set(BY_AGENCY) - set(BY_REGION) - set(BY_PEERS) == {"metric_ecdf", "warehouse_span"}


def test_incremental_loads_give_the_tables_of_a_full_rebuild(db, monkeypatch):
    # a small warehouse grows by more than the 10 % that re-sorts report_wide (and rebuilds
    # everything): keep the sort away so that every load below takes the incremental path
    monkeypatch.setattr(models, "SORT_GROWTH", 100.0)
    scoped = []
    real = models.build_for
    monkeypatch.setattr(models, "build_for", lambda con, agencies: (scoped.append(set(agencies)), real(con, agencies)))
    # new agencies in a region already there and in a new one, another level and kind
    load_records(db, [make_record("江苏省淮安市交通运输局", 2023), make_record("安徽省合肥市教育局", 2023),
                      make_record("江苏省淮安市民政局", 2024, sections=_prose("江苏省淮安市民政局")),
                      make_record("江苏省淮安市洪泽区岔河镇人民政府", 2023)])
    _assert_equal(_tables(db), _rebuilt(db))
    # a newer version of a loaded report (the old one is no longer current), with other figures
    newer = make_record("江苏省淮安市教育局", 2023)
    newer["applications"]["new_received"]["natural_person"] = 90
    newer["sections"]["other_matters"] += "（修订版）"
    load_records(db, [newer])
    _assert_equal(_tables(db), _rebuilt(db))
    # the city government arrives: departments loaded before get it as their parent
    load_records(db, [make_record("江苏省淮安市人民政府", 2023, scope="jurisdiction")])
    with write_session(db) as con:
        parents = con.execute("SELECT DISTINCT parent_id FROM agency_total WHERE agency_id = '江苏省淮安市民政局'").fetchall()
    assert parents == [("江苏省淮安市人民政府",)]
    _assert_equal(_tables(db), _rebuilt(db))
    # the quality score's per-report passes were really compared: prose copied from the year
    # before, cells counted, and the newer version's row replacing the old one
    with write_session(db) as con:
        copied, counted, edu = con.execute(
            "SELECT count(copy_rate), count(n_blank), count(*) FILTER (WHERE agency_id = '江苏省淮安市教育局' AND year = 2023) "
            "FROM report_quality").fetchall()[0]
    assert copied >= 4 and counted == len(_tables(db)["report_quality"]) and edu == 1
    assert len(scoped) == 3 and "江苏省淮安市民政局" in scoped[2]  # relinked: recomputed though not loaded
