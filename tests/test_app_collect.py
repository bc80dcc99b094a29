"""数据导入 · 从网站采集 under AppTest: addresses pasted, the mirror of two agencies' report columns
collected and loaded, with the collector's failures shown one line each and the batch going on."""

from __future__ import annotations

import pytest

from analytics.warehouse import connect_read
from fixtures.app_test import app_warehouse, open_page
from fixtures.mirror_site import MirrorServer
from fixtures.records import fresh_warehouse


@pytest.fixture(scope="module")
def site():
    with MirrorServer() as server:
        yield server


def _fill(at, urls: str, **settings):
    at.text_area(key="cl_urls").set_value(urls)
    at.number_input(key="cl_delay").set_value(settings.get("delay", 0.005))
    at.number_input(key="cl_timeout").set_value(settings.get("timeout", 0.5))
    at.number_input(key="cl_retries").set_value(settings.get("retries", 1))
    at.button(key="cl_go").click().run()
    assert not at.exception, [e.message for e in at.exception]


def test_pasted_columns_are_collected_and_loaded(site, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    with app_warehouse(fresh_warehouse(tmp_path / "w.duckdb")) as db:
        at = open_page("upload")
        _fill(at, f"# 两个栏目\n{site.base}/ptzx/zfxxgknb/index.html\n"
                  f"{site.base}/hzq/zfxxgknb/list.html?page=1 淮安市洪泽区人民政府\n")
        said = " ".join(s.value for s in at.success)
        assert "新保存" in said and "已载入" in said
        assert at.warning, "the mirror's broken link and slow page are each one line"
        assert all("\n" not in w.value for w in at.warning)
        with connect_read(db) as con:
            got = set(con.execute("SELECT agency_id, year, CAST(published AS VARCHAR) FROM reports").fetchall())
        assert {("平潭综合实验区", 2019, "2020-01-20"), ("淮安市洪泽区人民政府", 2023, "2024-01-15")} <= got
        assert [d for d in at.dataframe if "保存为" in d.value.columns]  # what was saved, with a download


def test_a_line_that_is_no_address_is_one_error_and_nothing_is_fetched(site, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    with app_warehouse(fresh_warehouse(tmp_path / "w.duckdb")):
        at = open_page("upload")
        before = len(site.log)
        _fill(at, f"{site.base}/ptzx/zfxxgknb/index.html\n平潭综合实验区年报栏目\n")
        assert [e.value for e in at.error] == ["第 2 行不是网址：平潭综合实验区年报栏目"]
        assert len(site.log) == before
