"""Every query behind every page: one ``.sql`` file each, run with parameters.

Each public function takes an open DuckDB connection and keyword parameters and returns a
DataFrame. User-influenced values always travel as query parameters; the few identifiers a user can
choose (metric, grouping column) are taken only from the allow-lists below and substituted into
``{slots}`` of the SQL text. ``CATALOGUE`` maps each query's name to ``(function, example params)``
so that benchmarks and tests can run all of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from .. import fields
from . import filters as flt
from ..warehouse.wide import OUTCOME_GROUP_ROWS, PART_COLS
from .metrics import HEADLINE, METRICS

# Column expressions a trend or distribution may be grouped by.
GROUPS = {
    "all": "'全部'",
    "level": "level",
    "kind": "kind",
    "province": "province",
    "city": "city",
    "county": "county",
    "agency": "name || CASE WHEN dataset = 'demo' THEN '（演示）' ELSE '' END",
    "template": "template",
    "dataset": "dataset",
}
GROUP_LABELS = {
    "all": "全部合计",
    "level": "层级",
    "kind": "机构类型",
    "province": "省份",
    "city": "地市",
    "county": "区县",
    "agency": "机构",
    "template": "模板版本",
    "dataset": "数据集",
}
ORDERS = {"desc", "asc", "outlier"}
FINDING_STATUSES = {"all", "open", "confirmed", "dismissed"}

# report_wide columns summed for the outcome pages (all from fields.csv, never from input).
OUTCOME_COLUMNS = (
    [f"a_{k}" for k in fields.APPLICATION_ROWS]
    + ["denied", "unable", "refused", "other_handled"]
    + [f"nr_{c}" for c in fields.APPLICATION_COLS if c != "total"]
)
REVIEW_COLUMNS = [f"{p}_{c}" for p in ("rv", "ld", "la") for c in fields.REVIEW_COLS]
ACTIVE_COLUMNS = [f"ad_{k}" for k in fields.ACTIVE_KEYS]

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    return resources.files("analytics.dashboard").joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def sql_names() -> list[str]:
    folder = resources.files("analytics.dashboard").joinpath("sql")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".sql"))


def render(name: str, **slots: str) -> str:
    """The SQL of one file with its identifier slots filled (slot values come from allow-lists)."""
    return sql_text(name).format(**{"where": flt.WHERE_SQL, "region": flt.REGION_SQL, **slots})


def run(con, name: str, params: dict, **slots: str) -> pd.DataFrame:
    sql = render(name, **slots)
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise ValueError(f"query {name} needs parameters {sorted(missing)}")
    return con.execute(sql, {k: v for k, v in params.items() if k in used}).df()


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _metric(key: str) -> dict[str, str]:
    """Slots aggregating one metric over a group: num, den and the group's value."""
    if key not in METRICS:
        raise ValueError(f"unknown metric {key!r}")
    value = "num / nullif(den, 0)" if METRICS[key].is_ratio else "num"
    return {"num": f"sum({_q(key + '_num')})", "den": f"sum({_q(key + '_den')})", "value": value}


def _group(group: str) -> str:
    if group not in GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    return GROUPS[group]


def _sums(columns) -> str:
    return ", ".join(f"sum({_q(c)}) AS {_q(c)}" for c in columns)


# The descriptive columns every per-agency relation carries.
AGENCY_ATTRS = ["name", "dataset", "level", "kind", "province", "city", "county", "template"]


def _per_agency_form(con, params: dict, facts: tuple | None = None) -> str:
    """How one row per agency is had for these filters, cheapest first:

    - ``plain_total``: every year is chosen and ``agency_total`` holds one row per agency, so it
      is read as it is (the default view);
    - ``plain_year``: a single year is chosen, and there is one current report per agency and year;
    - ``grouped_total`` / ``grouped_reports``: rows summed per agency. Grouping 10⁵–10⁶ rows on the
      agency's name is what made the whole-country pages slow, so it is left for the other cases.
    """
    lo, hi, unique, _ = facts or _cube_facts(con)
    if lo is not None and params["year_from"] <= lo and params["year_to"] >= hi:
        return "plain_total" if unique == "true" else "grouped_total"
    if params["year_from"] == params["year_to"]:
        return "plain_year"
    return "grouped_reports"


def _cube_facts(con) -> tuple:
    """First and last year of the warehouse, whether agency_total has one row per agency, and the
    datasets in it (all read in one small query)."""
    return con.execute(
        "SELECT min(year), max(year), "
        "(SELECT any_value(value) FROM warehouse_meta WHERE key = 'agency_total_unique'), "
        "(SELECT any_value(value) FROM warehouse_meta WHERE key = 'agency_total_datasets') FROM region_year"
    ).fetchall()[0]


def _whole_warehouse(con, params: dict, facts: tuple | None = None) -> bool:
    """True for the default view: every year, every place, level, kind and dataset. The
    comparison page then reads statistics the refresh computed once (cube.ranks_sql)."""
    if params.get("province") or params.get("city") or params.get("county"):
        return False
    if params.get("levels") or params.get("kinds"):
        return False
    lo, hi, unique, datasets = facts or _cube_facts(con)
    if lo is None or unique != "true" or datasets is None:
        return False
    present = {d for d in datasets.split(",") if d}
    return params["year_from"] <= lo and params["year_to"] >= hi and present <= set(params["datasets"])


def _agency_rows(con, params: dict, keys, attrs=AGENCY_ATTRS, facts: tuple | None = None) -> str:
    """SQL of a relation with one row per agency of the chosen region and years: agency_id, the
    ``attrs`` columns, n_reports and ``<metric>_num`` / ``<metric>_den`` of every metric in ``keys``,
    summed over the chosen years. Every name in it comes from the allow-lists of this module."""
    parts = list(dict.fromkeys(f"{k}_{part}" for k in keys for part in ("num", "den")))
    form = _per_agency_form(con, params, facts)
    source = "agency_total" if form.endswith("_total") else "report_metrics"
    where = flt.REGION_SQL if source == "agency_total" else flt.WHERE_SQL
    if form.startswith("plain"):
        n = "n_reports" if source == "agency_total" else "1"
        cols = ["agency_id", *attrs, f"CAST({n} AS BIGINT) AS n_reports", *(_q(c) for c in parts)]
        return f"SELECT {', '.join(cols)} FROM {source} WHERE {where}"
    n = "sum(n_reports)" if source == "agency_total" else "count(*)"
    cols = ["agency_id", *(f"any_value({a}) AS {a}" for a in attrs), f"CAST({n} AS BIGINT) AS n_reports",
            *(f"sum({_q(c)}) AS {_q(c)}" for c in parts)]
    return f"SELECT {', '.join(cols)} FROM {source} WHERE {where} GROUP BY agency_id"


def _values(keys) -> str:
    """Each metric's value from the per-agency sums (ratios keep their denominator alongside)."""
    parts = []
    for k in keys:
        if METRICS[k].is_ratio:
            parts.append(f"{_q(k + '_num')} / nullif({_q(k + '_den')}, 0) AS {_q(k)}")
            parts.append(f"CAST({_q(k + '_den')} AS DOUBLE) AS {_q(k + '_den')}")
        else:
            parts.append(f"CAST({_q(k + '_num')} AS DOUBLE) AS {_q(k)}")
    return ",\n       ".join(parts)


def _metric_cols(key: str) -> dict[str, str]:
    """Slots naming one metric's per-agency num and den columns and its value."""
    if key not in METRICS:
        raise ValueError(f"unknown metric {key!r}")
    value = "num / nullif(den, 0)" if METRICS[key].is_ratio else "num"
    return {"num": _q(key + "_num"), "den": _q(key + "_den"), "value": value}


def _filters(params: dict) -> dict:
    base = flt.example()
    base.update(params)
    return base


# ---------------------------------------------------------------- filter options


def filter_years(con) -> pd.DataFrame:
    return run(con, "filter_years", {})


def filter_regions(con) -> pd.DataFrame:
    return run(con, "filter_regions", {})


def filter_datasets(con) -> pd.DataFrame:
    return run(con, "filter_datasets", {})


# ---------------------------------------------------------------- overview


def kpi_by_year(con, **params) -> pd.DataFrame:
    sums = ", ".join(
        f"sum({_q(k + '_num')}) AS {_q(k + '_num')}, sum({_q(k + '_den')}) AS {_q(k + '_den')}" for k in HEADLINE
    )
    df = run(con, "kpi_by_year", _filters(params), headline_sums=sums)
    for k in HEADLINE:
        den = df[k + "_den"].astype("float64")
        df[k] = df[k + "_num"].astype("float64") / den.where(den != 0)
    return df


def top_agencies(con, *, limit: int = 15, **params) -> pd.DataFrame:
    p = _filters(params)
    return run(con, "top_agencies", {**p, "limit": int(limit)},
               agency_rows=_agency_rows(con, p, ["applications"], ["name", "dataset", "level", "kind"]))


# ---------------------------------------------------------------- comparison


# The metrics of the comparison page's table (applications first: the table is sorted by it).
TABLE_METRICS = [
    "applications", "substantive_disclosure_rate", "grant_rate", "denial_rate", "unable_rate",
    "procedural_closure_rate", "completion_rate", "legal_person_share", "dispute_rate",
    "review_correction_rate", "litigation_correction_rate", "correction_per_100", "on_time",
]


def agency_metrics(con, *, limit: int = 2000, metrics: list[str] | None = None, **params) -> pd.DataFrame:
    """Per agency: only the metrics asked for (each costs a sum over every row of the region)."""
    keys = list(dict.fromkeys(["applications", *[k for k in (metrics or TABLE_METRICS) if k in METRICS]]))
    p = _filters(params)
    return run(con, "agency_metrics", {**p, "limit": int(limit)}, metric_values=_values(keys),
               agency_rows=_agency_rows(con, p, keys, ["name", "dataset", "level", "kind"]))


def metric_peers(con, *, metric: str = "substantive_disclosure_rate", order: str = "desc", limit: int = 30,
                 agencies: list[str] | None = None, **params) -> pd.DataFrame:
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    p = {**_filters(params), "order": order, "limit": int(limit), "agencies": list(agencies or []),
         "metric": metric}
    facts = _cube_facts(con)  # read once for both decisions below
    how = "looked_up" if _whole_warehouse(con, p, facts) else "counted"
    return run(con, "metric_peers", p, **_metric_cols(metric), **_peer_slots(how),
               agency_rows=_agency_rows(con, p, [metric], ["name", "dataset", "level", "kind"], facts))


def _peer_slots(how: str) -> dict[str, str]:
    """The peer statistics and percentile ranks of metric_peers: ``counted`` over the chosen
    agencies, or ``looked_up`` in the tables the refresh computes for the default view."""
    return {"peer_stats": sql_text(f"peers/stats_{how}"), "below": sql_text(f"peers/below_{how}")}


def metric_quantiles(con, *, metric: str = "substantive_disclosure_rate", group: str = "level",
                     **params) -> pd.DataFrame:
    p = _filters(params)
    return run(con, "metric_quantiles", p, group=_group(group), **_metric_cols(metric),
               agency_rows=_agency_rows(con, p, [metric]))


HEATMAP_METRICS = [
    "substantive_disclosure_rate", "grant_rate", "denial_rate", "unable_rate", "procedural_closure_rate",
    "completion_rate", "legal_person_share", "dispute_rate", "review_correction_rate",
    "litigation_correction_rate",
]


def metric_heatmap(con, *, limit: int = 25, metrics: list[str] | None = None, **params) -> pd.DataFrame:
    keys = [k for k in (metrics or HEATMAP_METRICS) if k in METRICS]
    shown = list(dict.fromkeys(["applications", *keys]))
    p = {**_filters(params), "limit": int(limit)}
    facts = _cube_facts(con)
    if _whole_warehouse(con, p, facts):
        return run(con, "metric_heatmap_all", p, metric_values=_values(shown), **_heatmap_lookup(keys))
    return run(con, "metric_heatmap", p, metric_values=_values(shown), **_heatmap_counts(keys),
               agency_rows=_agency_rows(con, p, shown, ["name", "dataset"], facts))


def _heatmap_counts(keys) -> dict[str, str]:
    """Slots ranking the shown agencies among the region's agencies by counting.

    percent_rank() = (number of values below) / (number of values - 1), 0 for a single value.
    Only the shown agencies are compared with the others, and the counts of values are taken
    once: a vectorised 0/1 sum is about twice as fast as count(*) FILTER over the pairs.
    """
    return {
        "below_columns": ", ".join(f"sum(CAST(p.{_q(k)} < s.{_q(k)} AS INTEGER)) AS {_q(k)}" for k in keys),
        "count_columns": ", ".join(f"count({_q(k)}) AS {_q(k)}" for k in keys) or "count(*) AS n_agencies",
        "percentile_columns": ", ".join(
            f"CASE WHEN s.{_q(k)} IS NULL THEN NULL ELSE coalesce(b.{_q(k)} / nullif(n.{_q(k)} - 1, 0), 0) END"
            f" AS {_q(k)}"
            for k in keys
        ),
    }


def _heatmap_lookup(keys) -> dict[str, str]:
    """The same percentile ranks looked up in metric_ecdf (default view); the metric names come
    from the allow-list METRICS."""
    return {"percentile_columns": ", ".join(
        f"(SELECT coalesce(e.n_below / nullif(e.n_values - 1, 0), 0) FROM metric_ecdf e "
        f"WHERE e.metric = '{k}' AND e.value = s.{_q(k)}) AS {_q(k)}"
        for k in keys
    )}


def agency_outcomes(con, *, agencies: list[str] | None = None, **params) -> pd.DataFrame:
    p = {**_filters(params), "agencies": list(agencies or [])}
    return run(con, "agency_outcomes", p, outcome_sums=_sums(OUTCOME_COLUMNS + REVIEW_COLUMNS))


# ---------------------------------------------------------------- trends


def metric_trend(con, *, metric: str = "substantive_disclosure_rate", group: str = "level",
                 max_groups: int = 8, agencies: list[str] | None = None, **params) -> pd.DataFrame:
    p = {**_filters(params), "max_groups": int(max_groups), "agencies": list(agencies or [])}
    if group == "agency" or agencies:
        source = {"source": "report_metrics", "n_reports": "count(*)",
                  "agency_filter": " AND (len($agencies) = 0 OR list_contains($agencies, agency_id))"}
    else:  # every other grouping is a key of the cube
        source = {"source": "region_year", "n_reports": "CAST(sum(n_reports) AS BIGINT)", "agency_filter": ""}
    return run(con, "metric_trend", p, group=_group(group), **source, **_metric(metric))


def outcome_by_year(con, **params) -> pd.DataFrame:
    return run(con, "outcome_by_year", _filters(params))


# ---------------------------------------------------------------- outcomes, review, active


def outcome_totals(con, **params) -> pd.DataFrame:
    return run(con, "outcome_totals", _filters(params), outcome_sums=_sums(OUTCOME_COLUMNS))


def applicant_outcomes(con, **params) -> pd.DataFrame:
    """Columns group (granted … other_handled), col_key (applicant column) and value."""
    names = {f"ag_{g}_{c}": (g, c) for g in OUTCOME_GROUP_ROWS for c in PART_COLS}
    df = run(con, "applicant_outcomes", _filters(params), ag_sums=_sums(names))
    pairs = df["name"].map(names)
    return pd.DataFrame({"group": pairs.str[0], "col_key": pairs.str[1],
                         "value": df["value"].astype("float64")})


def review_by_year(con, **params) -> pd.DataFrame:
    return run(con, "review_by_year", _filters(params), review_sums=_sums(REVIEW_COLUMNS))


def active_by_year(con, **params) -> pd.DataFrame:
    return run(con, "active_by_year", _filters(params), active_sums=_sums(ACTIVE_COLUMNS))


# ---------------------------------------------------------------- data quality


def coverage(con, *, limit: int = 60, q: str = "", **params) -> pd.DataFrame:
    """Agencies by year, those needing attention first (see coverage.sql); ``q`` searches names."""
    return run(con, "coverage", {**_filters(params), "limit": int(limit), "q": q.strip()})


def coverage_by_year(con, **params) -> pd.DataFrame:
    return run(con, "coverage_by_year", _filters(params))


def findings_list(con, *, rules: list[str] | None = None, severities: list[str] | None = None,
                  status: str = "all", limit: int = 500, **params) -> pd.DataFrame:
    if status not in FINDING_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    p = {**_filters(params), "rules": list(rules or []), "severities": list(severities or []),
         "status": status, "limit": int(limit)}
    return run(con, "findings_list", p)


def findings_summary(con, **params) -> pd.DataFrame:
    return run(con, "findings_summary", _filters(params))


def ingest_refused(con, *, limit: int = 200) -> pd.DataFrame:
    return run(con, "ingest_refused", {"limit": int(limit)})


def ingest_recent(con, *, limit: int = 50) -> pd.DataFrame:
    return run(con, "ingest_recent", {"limit": int(limit)})


# ---------------------------------------------------------------- one report


def report_search(con, *, q: str = "", limit: int = 300, **params) -> pd.DataFrame:
    return run(con, "report_search", {**_filters(params), "q": q.strip(), "limit": int(limit)})


def report_header(con, *, report_id: int) -> pd.DataFrame:
    return run(con, "report_header", {"report_id": int(report_id)})


def report_cells(con, *, report_id: int) -> pd.DataFrame:
    return run(con, "report_cells", {"report_id": int(report_id)})


def report_findings(con, *, report_id: int, agency_id: str, year: int) -> pd.DataFrame:
    return run(con, "report_findings", {"report_id": int(report_id), "agency_id": agency_id, "year": int(year)})


def report_previous(con, *, agency_id: str, year: int) -> pd.DataFrame:
    return run(con, "report_previous", {"agency_id": agency_id, "year": int(year)})


_EX = flt.example()

CATALOGUE: dict[str, tuple] = {
    "filter_years": (filter_years, {}),
    "filter_regions": (filter_regions, {}),
    "filter_datasets": (filter_datasets, {}),
    "kpi_by_year": (kpi_by_year, dict(_EX)),
    "top_agencies": (top_agencies, {**_EX, "limit": 15}),
    "agency_metrics": (agency_metrics, {**_EX, "limit": 2000}),
    "metric_peers": (metric_peers, {**_EX, "metric": "substantive_disclosure_rate", "order": "desc", "limit": 30}),
    "metric_outliers": (metric_peers, {**_EX, "metric": "denial_rate", "order": "outlier", "limit": 20}),
    "metric_quantiles": (metric_quantiles, {**_EX, "metric": "substantive_disclosure_rate", "group": "level"}),
    "metric_heatmap": (metric_heatmap, {**_EX, "limit": 25}),
    "agency_outcomes": (agency_outcomes, {**_EX, "agencies": []}),
    "metric_trend": (metric_trend, {**_EX, "metric": "substantive_disclosure_rate", "group": "level"}),
    "outcome_by_year": (outcome_by_year, dict(_EX)),
    "outcome_totals": (outcome_totals, dict(_EX)),
    "applicant_outcomes": (applicant_outcomes, dict(_EX)),
    "review_by_year": (review_by_year, dict(_EX)),
    "active_by_year": (active_by_year, dict(_EX)),
    "coverage": (coverage, {**_EX, "limit": 60}),
    "coverage_by_year": (coverage_by_year, dict(_EX)),
    "findings_list": (findings_list, {**_EX, "status": "all", "limit": 500}),
    "findings_summary": (findings_summary, dict(_EX)),
    "ingest_refused": (ingest_refused, {"limit": 200}),
    "ingest_recent": (ingest_recent, {"limit": 50}),
    "report_search": (report_search, {**_EX, "q": "", "limit": 300}),
    "report_header": (report_header, {"report_id": 1}),
    "report_cells": (report_cells, {"report_id": 1}),
    "report_findings": (report_findings, {"report_id": 1, "agency_id": "", "year": 2024}),
    "report_previous": (report_previous, {"agency_id": "", "year": 2024}),
}
