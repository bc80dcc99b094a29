"""The global filters of every page, their SQL predicate and their round trip through the URL.

The sidebar widgets (``sidebar.py``, drawn on every page) keep the filters in force in
``st.session_state`` and mirror them into ``st.query_params`` so that a reload or a shared link
restores the same view.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LEVELS = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}
KINDS = {
    "government": "人民政府",
    "office": "政府办公厅（室）",
    "department": "政府部门",
    "zone": "开发区/管委会",
    "township": "乡镇/街道",
}
DATASETS = {"real": "真实数据", "demo": "演示数据（虚构）", "synth": "合成数据"}
ALL = "全部"

# Rows of report_wide / report_metrics inside the chosen region, levels, kinds and datasets: the
# warehouse's chosen_agency macro (the predicate agency_window applies), expanded where it is used.
REGION_SQL = ("chosen_agency(province, city, county, level, kind, dataset,"
              " $province, $city, $county, $levels, $kinds, $datasets)")
WHERE_SQL = "year BETWEEN $year_from AND $year_to AND " + REGION_SQL


@dataclass
class Filters:
    year_from: int
    year_to: int
    province: str | None = None
    city: str | None = None
    county: str | None = None
    levels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=lambda: list(DATASETS))

    def params(self) -> dict:
        return asdict(self)

    def region_label(self) -> str:
        parts = [p for p in (self.province, self.city, self.county) if p]
        return " / ".join(parts) if parts else "全部地区"

    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return f"{self.year_to} 年"
        return f"{self.year_from}–{self.year_to} 年"

    def to_query(self) -> dict[str, str]:
        """The URL form: only what differs from "everything" is written."""
        q = {"years": f"{self.year_from}-{self.year_to}"}
        for key in ("province", "city", "county"):
            if getattr(self, key):
                q[key] = getattr(self, key)
        if self.levels:
            q["level"] = ",".join(self.levels)
        if self.kinds:
            q["kind"] = ",".join(self.kinds)
        if sorted(self.datasets) != sorted(DATASETS):
            q["dataset"] = ",".join(self.datasets) or "none"
        return q


def from_query(query: dict[str, str], years: list[int]) -> Filters:
    """Read filters back from URL parameters; anything unknown or malformed falls back to all."""
    lo, hi = (min(years), max(years)) if years else (0, 0)
    y_from, y_to = lo, hi
    raw = query.get("years", "")
    try:
        a, _, b = raw.partition("-")
        a, b = int(a), int(b or a)
        if lo <= a <= b <= hi:
            y_from, y_to = a, b
    except ValueError:
        pass

    def listed(name: str, allowed: dict) -> list[str]:
        return [v for v in query.get(name, "").split(",") if v in allowed]

    datasets = list(DATASETS) if "dataset" not in query else listed("dataset", DATASETS)
    return Filters(
        year_from=y_from,
        year_to=y_to,
        province=query.get("province") or None,
        city=query.get("city") or None,
        county=query.get("county") or None,
        levels=listed("level", LEVELS),
        kinds=listed("kind", KINDS),
        datasets=datasets,
    )


def example(**overrides) -> dict:
    """Filter parameters covering everything, for the query catalogue and tests."""
    base = Filters(year_from=2019, year_to=2025).params()
    base.update(overrides)
    return base
