"""The synthetic administrative tree: provinces, cities, counties, their departments and townships.

Counts follow the real shape of the country (31 provincial units, ~333 prefectures, ~2,850
counties, ~38,600 townships, a few dozen departments per government), giving ~140,000 agencies at
scale 1. Names are made up but unique, so the normalised name can serve as ``agency_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# (name, short, number of prefecture-level cities); municipalities have none: their districts sit
# directly under the provincial government.
PROVINCES = [
    ("北京市", "京", 0), ("天津市", "津", 0), ("河北省", "冀", 11), ("山西省", "晋", 11),
    ("内蒙古自治区", "蒙", 12), ("辽宁省", "辽", 14), ("吉林省", "吉", 9), ("黑龙江省", "黑", 13),
    ("上海市", "沪", 0), ("江苏省", "苏", 13), ("浙江省", "浙", 11), ("安徽省", "皖", 16),
    ("福建省", "闽", 9), ("江西省", "赣", 11), ("山东省", "鲁", 16), ("河南省", "豫", 17),
    ("湖北省", "鄂", 13), ("湖南省", "湘", 14), ("广东省", "粤", 21), ("广西壮族自治区", "桂", 14),
    ("海南省", "琼", 4), ("重庆市", "渝", 0), ("四川省", "川", 21), ("贵州省", "黔", 9),
    ("云南省", "滇", 16), ("西藏自治区", "藏", 7), ("陕西省", "陕", 10), ("甘肃省", "甘", 14),
    ("青海省", "青", 8), ("宁夏回族自治区", "宁", 5), ("新疆维吾尔自治区", "新", 14),
]
# GB/T 2260 two-digit codes, in the order of PROVINCES.
PROVINCE_CODES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
                  46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
MUNICIPALITY_DISTRICTS = {"北京市": 16, "天津市": 16, "上海市": 16, "重庆市": 38}

DEPARTMENTS = [
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局",
    "体育局", "信访局", "城市管理局", "数据局", "国有资产监督管理委员会", "民族宗教事务局",
    "外事办公室", "粮食和物资储备局", "机关事务管理局", "行政审批局", "档案馆", "人民防空办公室",
    "乡村振兴局", "地方金融管理局", "政务服务管理局",
]
DEPTS_PER_LEVEL = {"province": 40, "city": 35, "county": 30}
COUNTIES_PER_CITY = 8.5
TOWNSHIPS_PER_COUNTY = 13.6
TOWNSHIP_SUFFIXES = ["镇人民政府", "乡人民政府", "街道办事处"]

COLUMNS = ["agency_id", "name", "level", "kind", "province", "city", "county", "parent_id",
           "division_code"]


def _gov_units(rng: np.random.Generator) -> list[dict]:
    """Every government of the tree (province, city, county), parents before children."""
    units = []
    for p_idx, (pname, short, n_cities) in enumerate(PROVINCES):
        p_code = f"{PROVINCE_CODES[p_idx]}0000"
        units.append(dict(level="province", name=pname, province=pname, city=None, county=None,
                          parent=None, code=p_code))
        if pname in MUNICIPALITY_DISTRICTS:
            cities = [(None, pname, p_code, MUNICIPALITY_DISTRICTS[pname])]
        else:
            cities = []
            for c in range(n_cities):
                cname = f"{short}{c + 1:02d}市"
                c_code = f"{p_code[:2]}{c + 1:02d}00"
                units.append(dict(level="city", name=cname, province=pname, city=cname,
                                  county=None, parent=pname, code=c_code))
                cities.append((cname, cname, c_code, 1 + rng.poisson(COUNTIES_PER_CITY - 1)))
        for cname, parent, c_code, n_counties in cities:
            prefix = cname or pname
            for k in range(n_counties):
                suffix = "区" if cname is None or k % 3 == 0 else "县"
                kname = f"{prefix}{k + 1:02d}{suffix}"
                units.append(dict(level="county", name=kname, province=pname, city=cname,
                                  county=kname, parent=parent,
                                  code=f"{c_code[:4]}{k + 1:02d}"))
    return units


def build_agencies(scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """The agencies of the population at ``scale`` (1.0 = the whole country).

    Below scale 1 each non-government agency and each government is kept with probability
    ``scale``; the governments above a kept agency are always kept so the tree stays whole.
    """
    rows = []
    for u in _gov_units(rng):
        level, place = u["level"], u["name"]
        gov_name = f"{place}人民政府"
        parent_gov = f"{u['parent']}人民政府" if u["parent"] else None
        base = dict(province=u["province"], city=u["city"], county=u["county"],
                    division_code=u["code"])
        rows.append(dict(base, name=gov_name, level=level, kind="government", parent_id=parent_gov))
        office = "办公厅" if level == "province" else "办公室"
        rows.append(dict(base, name=f"{gov_name}{office}", level=level, kind="office",
                         parent_id=gov_name))
        for d in DEPARTMENTS[: DEPTS_PER_LEVEL[level]]:
            dname = d.replace("局", "厅") if level == "province" and d.endswith("局") else d
            rows.append(dict(base, name=f"{place}{dname}", level=level, kind="department",
                             parent_id=gov_name))
        if level == "county":
            n_town = rng.poisson(TOWNSHIPS_PER_COUNTY)
            for t in range(n_town):
                rows.append(dict(base, name=f"{place}{t + 1:02d}{TOWNSHIP_SUFFIXES[t % 3]}",
                                 level="township", kind="township", parent_id=gov_name))
    df = pd.DataFrame(rows)
    if scale < 1.0:
        keep = rng.random(len(df)) < scale
        by_name = dict(zip(df["name"], df["parent_id"]))
        index = {n: i for i, n in enumerate(df["name"])}
        for i in np.flatnonzero(keep):
            parent = by_name[df["name"].iat[i]]
            while isinstance(parent, str) and not keep[index[parent]]:
                keep[index[parent]] = True
                parent = by_name[parent]
        df = df[keep]
    df = df.reset_index(drop=True)
    df["agency_id"] = df["name"]
    df["parent_id"] = df["parent_id"].where(df["parent_id"].isin(df["agency_id"]), None)
    return df[COLUMNS]
