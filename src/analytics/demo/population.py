"""The fictional jurisdiction of the demo corpus: one province, one city, its districts and counties.

Every agency knows its place in the hierarchy (the ingest manifest columns) and its *role*, which
the figure model uses to pick a plausible volume of applications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PROVINCE = "江澜省"
CITY = "临澜市"

# Districts get street offices (街道), counties get towns and townships (镇/乡).
COUNTIES = ["澜湖区", "望江区", "新港区", "东陵区", "白石县", "青溪县", "云岭县", "松河县", "桃川县", "柳塘县"]

# (name suffix, weight on the volume of applications): land, housing and policing draw the most.
CITY_DEPARTMENTS = [
    ("发展和改革委员会", 0.6), ("教育局", 0.9), ("科学技术局", 0.3), ("公安局", 1.6), ("民政局", 0.7),
    ("司法局", 0.5), ("财政局", 0.6), ("人力资源和社会保障局", 1.2), ("自然资源和规划局", 3.0),
    ("生态环境局", 0.9), ("住房和城乡建设局", 2.2), ("交通运输局", 0.8), ("农业农村局", 0.7),
    ("卫生健康委员会", 0.8), ("市场监督管理局", 1.1), ("城市管理局", 0.7), ("应急管理局", 0.4),
]
COUNTY_DEPARTMENTS = [
    ("发展和改革局", 0.5), ("教育局", 0.8), ("公安局", 1.4), ("民政局", 0.6), ("财政局", 0.5),
    ("人力资源和社会保障局", 1.0), ("自然资源局", 2.5), ("住房和城乡建设局", 1.8), ("农业农村局", 0.7),
    ("卫生健康局", 0.6), ("市场监督管理局", 0.9), ("生态环境分局", 0.6), ("交通运输局", 0.6),
]

_PLACE_CHARS = "东西南北青白石金马龙凤柳桃杨高新安平永兴和长云松梅竹花河湖山岭泉桥溪塘港沙田水林"


@dataclass(frozen=True)
class Agency:
    name: str
    level: str  # city | county | township (the manifest's level)
    kind: str  # government | office | department | zone | township
    county: str  # "" for city-level agencies
    parent: str  # the government one level up ("" for the city government)
    role: str  # figure-model role: city_gov, city_office, city_dept, city_zone, county_gov, ...
    weight: float = 1.0  # relative volume within its role

    @property
    def province(self) -> str:
        return PROVINCE

    @property
    def city(self) -> str:
        return CITY

    @property
    def is_jurisdiction(self) -> bool:
        return self.kind == "government"


def _place_names(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        a, b = rng.choice(len(_PLACE_CHARS), size=2, replace=False)
        name = _PLACE_CHARS[a] + _PLACE_CHARS[b]
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def build_population(seed: int = 2025, scale: float = 1.0) -> list[Agency]:
    """All agencies, parents before their parts. ``scale`` shrinks counties, departments and townships."""
    rng = np.random.default_rng([seed, 1])
    n_counties = max(1, min(len(COUNTIES), round(len(COUNTIES) * scale)))
    part = min(1.0, max(scale, 0.25))
    city_gov = f"{CITY}人民政府"
    agencies = [
        Agency(city_gov, "city", "government", "", "", "city_gov"),
        Agency(f"{CITY}人民政府办公室", "city", "office", "", city_gov, "city_office"),
    ]
    n_city_depts = max(3, round(len(CITY_DEPARTMENTS) * part))
    for suffix, w in CITY_DEPARTMENTS[:n_city_depts]:
        agencies.append(Agency(f"{CITY}{suffix}", "city", "department", "", city_gov, "city_dept", w))
    agencies.append(Agency(f"{CITY}高新技术产业开发区管理委员会", "city", "zone", "", city_gov, "city_zone"))

    taken: set[str] = set()
    for county in COUNTIES[:n_counties]:
        gov = f"{county}人民政府"
        agencies.append(Agency(gov, "county", "government", county, city_gov, "county_gov"))
        agencies.append(Agency(f"{county}人民政府办公室", "county", "office", county, gov, "county_office"))
        n_depts = max(2, round(int(rng.integers(9, 12)) * part))
        picks = sorted(rng.choice(len(COUNTY_DEPARTMENTS), size=n_depts, replace=False))
        for i in picks:
            suffix, w = COUNTY_DEPARTMENTS[i]
            agencies.append(Agency(f"{county}{suffix}", "county", "department", county, gov, "county_dept", w))
        if county.endswith("县") and rng.random() < 0.4:
            agencies.append(Agency(f"{county}经济开发区管理委员会", "county", "zone", county, gov, "county_zone"))
        n_towns = max(2, round(int(rng.integers(9, 13)) * part))
        for place in _place_names(rng, n_towns, taken):
            if county.endswith("区"):
                name = f"{county}{place}街道办事处"
            else:
                name = f"{county}{place}{'乡' if rng.random() < 0.25 else '镇'}人民政府"
            agencies.append(Agency(name, "township", "township", county, gov, "township",
                                   float(rng.lognormal(0.0, 0.5))))
    return agencies


def parts_of(agencies: list[Agency], government: Agency) -> list[Agency]:
    """The agencies whose figures a government's jurisdiction report includes (one level down)."""
    return [a for a in agencies if a.parent == government.name]
