"""Every query behind every page: one ``.sql`` file each, run with parameters.

Each public function takes an open DuckDB connection and keyword parameters and returns a
DataFrame. A query reads one relation the warehouse provides for its question (region_year for
region totals, the agency_window macro for one row per agency, year_rows for trends, …; see
docs/warehouse.md), and every value, the chosen metric included, travels as a bound parameter:
nothing here decides which table to read. The only text put into a query is the filter predicate
of ``filters.py`` and identifiers from allow-lists: a grouping expression from ``GROUPS`` and, for
the tables with one column per metric, columns named by registry keys. ``CATALOGUE`` maps each
query's name to ``(function, example params)`` so that benchmarks and tests can run all of them.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import fields
from . import builder
from . import filters as flt
from ..warehouse import sqlfiles
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
FINDING_STATUSES = {"all", "open", "confirmed", "dismissed", "notified", "rectified", "verified", "returned"}

# report_wide columns summed for the outcome pages (all from fields.csv, never from input).
OUTCOME_COLUMNS = (
    [f"a_{k}" for k in fields.APPLICATION_ROWS]
    + ["denied", "unable", "refused", "other_handled"]
    + [f"nr_{c}" for c in fields.APPLICATION_COLS if c != "total"]
)
REVIEW_COLUMNS = [f"{p}_{c}" for p in ("rv", "ld", "la") for c in fields.REVIEW_COLS]

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def sql_text(name: str) -> str:
    return sqlfiles.read(name, "analytics.dashboard")


def sql_names() -> list[str]:
    return sqlfiles.all_names("analytics.dashboard")


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


def _in_order(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns a query picked with COLUMNS($columns) in the order
    asked for: DuckDB gives them in the table's order. The query's other columns come first."""
    picked = set(columns)
    return df[[c for c in df.columns if c not in picked] + list(columns)]


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _metric_key(key: str) -> str:
    """A metric key from the registry; it reaches SQL as the bound parameter $metric, which picks
    the metric's columns (COLUMNS('^' || $metric || '_num$'))."""
    if key not in METRICS:
        raise ValueError(f"unknown metric {key!r}")
    return key


def _metric(key: str) -> dict:
    """The bound parameters naming one metric: its key and whether a group's value is a ratio."""
    return {"metric": _metric_key(key), "is_ratio": METRICS[key].is_ratio}


def _group(group: str) -> str:
    if group not in GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    return GROUPS[group]


def metric_values(keys) -> str:
    """Each metric's value from the per-agency sums of agency_window (ratios keep their
    denominator alongside); every name comes from the registry."""
    parts = []
    for k in keys:
        num, den = _q(_metric_key(k) + "_num"), _q(k + "_den")
        if METRICS[k].is_ratio:
            parts.append(f"{num} / nullif({den}, 0) AS {_q(k)}")
            parts.append(f"CAST({den} AS DOUBLE) AS {den}")
        else:
            parts.append(f"CAST({num} AS DOUBLE) AS {_q(k)}")
    return ",\n       ".join(parts)


def summed_columns(keys) -> tuple[list[str], dict[str, tuple[str, str | None]]]:
    """The fewest agency_year columns whose sums give each metric's numerator and denominator,
    and which of them each metric reads. Two columns of the same registry expression hold the same
    figures in every report (report_metrics computes each from its expression), so such a column
    is summed once: the ten heat-map rates have five distinct denominators."""
    by_text: dict[str, str] = {}
    picked: dict[str, tuple[str, str | None]] = {}
    for k in keys:
        m = METRICS[_metric_key(k)]
        parts = [("num", m.num)] + ([("den", m.den)] if m.is_ratio else [])
        cols = [by_text.setdefault(" ".join(text.split()), f"{k}_{part}") for part, text in parts]
        picked[k] = (cols[0], cols[1] if m.is_ratio else None)
    return list(dict.fromkeys(by_text.values())), picked


def heatmap_slots(keys) -> dict[str, str]:
    """The per-metric SQL of metric_heatmap.sql, every name from the registry: the values from the
    summed columns, the number of agencies with a value, and each metric's distinct values up to
    the largest shown one with how many agencies have each (the ranks need no more)."""
    keys = [_metric_key(k) for k in keys]
    _, picked = summed_columns(["applications", *keys])
    values = []
    for k, (num, den) in picked.items():
        values.append(f"{_q(num)} / nullif({_q(den)}, 0) AS {_q(k)}" if den else f"CAST({_q(num)} AS DOUBLE) AS {_q(k)}")
    distinct = [f"SELECT '{k}' AS metric, {_q(k)} AS value, count(*) AS n FROM counted_from"
                f" WHERE {_q(k)} <= (SELECT max({_q(k)}) FROM shown) GROUP BY {_q(k)}" for k in keys]
    return {
        "metric_values": ",\n           ".join(values),
        "count_columns": ", ".join(f"count({_q(k)}) AS {_q(k)}" for k in keys) or "count(*) AS n_agencies",
        "distinct_values": "\n        UNION ALL ".join(distinct)
                           or "SELECT NULL::VARCHAR AS metric, NULL::DOUBLE AS value, 0 AS n WHERE false",
        "rank_columns": ", ".join(f"max(l.pct) FILTER (WHERE l.metric = '{k}') AS {_q(k)}" for k in keys),
    }


def _filters(params: dict) -> dict:
    """The global filters (everything unless given) and two switches that change how an answer is
    had, never the answer: ``lookups``, whether a view of the whole warehouse reads the statistics
    the refresh computed (peer_stats, peer_ecdf, metric_ecdf) instead of counting them, and
    ``totals``, whether agency_window reads agency_total for the agencies whose every report is
    chosen instead of summing their reports."""
    base = {**flt.example(), "lookups": True, "totals": True}
    base.update(params)
    return base


# ---------------------------------------------------------------- filter options


def filter_years(con) -> pd.DataFrame:
    return run(con, "filter_years", {})


def filter_regions(con) -> pd.DataFrame:
    return run(con, "filter_regions", {})


def filter_datasets(con) -> pd.DataFrame:
    return run(con, "filter_datasets", {})


def demo_in_view(con, **params) -> pd.DataFrame:
    """One row: the number of demo reports the filters choose."""
    return run(con, "demo_in_view", _filters(params))


# ---------------------------------------------------------------- overview


def _headline(con, name: str, params: dict) -> pd.DataFrame:
    columns = [f"{k}_{part}" for k in HEADLINE for part in ("num", "den")]
    df = _in_order(run(con, name, {**_filters(params), "columns": columns}), columns)
    for k in HEADLINE:
        den = df[k + "_den"].astype("float64")
        df[k] = df[k + "_num"].astype("float64") / den.where(den != 0)
    return df


def kpi_by_year(con, **params) -> pd.DataFrame:
    """Headline figures per year over every current report of the chosen region."""
    return _headline(con, "kpi_by_year", params)


def kpi_matched(con, **params) -> pd.DataFrame:
    """Headline figures of year_to and the year before over the agencies that reported in both."""
    return _headline(con, "kpi_matched", params)


def top_agencies(con, *, limit: int = 15, **params) -> pd.DataFrame:
    return run(con, "top_agencies", {**_filters(params), "limit": int(limit)})


# ---------------------------------------------------------------- comparison


# The metrics of the comparison page's table (applications first: the table is sorted by it).
TABLE_METRICS = [
    "applications", "substantive_disclosure_rate", "grant_rate", "denial_rate", "unable_rate",
    "procedural_closure_rate", "completion_rate", "legal_person_share", "dispute_rate",
    "review_correction_rate", "litigation_correction_rate", "correction_per_100", "on_time",
]


def agency_metrics(con, *, limit: int = 2000, metrics: list[str] | None = None, **params) -> pd.DataFrame:
    """Per agency: only the metrics asked for (each costs a sum over every row the range cuts)."""
    keys = list(dict.fromkeys(["applications", *[k for k in (metrics or TABLE_METRICS) if k in METRICS]]))
    return run(con, "agency_metrics", {**_filters(params), "limit": int(limit), "metrics": keys},
               metric_values=metric_values(keys))


def whole_warehouse(con, **params) -> pd.DataFrame:
    """One row, one boolean: do the filters choose every current report of the warehouse?"""
    return run(con, "whole_warehouse", _filters(params))


def _looked_up(con, p: dict) -> bool:
    """Whether a query reads the default view's precomputed statistics: asked of the warehouse
    (whole_warehouse.sql) and handed to the query as the bound value $looked_up."""
    if not p["lookups"]:
        return False
    sql = render("whole_warehouse")
    return bool(con.execute(sql, {k: p[k] for k in _PARAM.findall(sql)}).fetchone()[0])


def metric_peers(con, *, metric: str = "substantive_disclosure_rate", order: str = "desc", limit: int = 30,
                 agencies: list[str] | None = None, min_den: int = 0, **params) -> pd.DataFrame:
    """One metric per agency with its peer statistics; with ``min_den`` every agency whose rate
    rests on fewer cases comes after those that meet it (``eligible`` false)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    p = {**_filters(params), "order": order, "limit": int(limit), "agencies": list(agencies or []),
         "min_den": int(min_den), **_metric(metric)}
    return run(con, "metric_peers", {**p, "looked_up": _looked_up(con, p)})


def metric_funnel(con, *, metric: str = "denial_rate", limit: int = 20000, **params) -> pd.DataFrame:
    """Numerator and denominator of a rate per agency (largest denominators first, at most ``limit``)."""
    if not METRICS[_metric_key(metric)].is_ratio:
        raise ValueError(f"{metric} is not a rate")
    return run(con, "metric_funnel", {**_filters(params), "limit": int(limit), **_metric(metric)})


def metric_quantiles(con, *, metric: str = "substantive_disclosure_rate", group: str = "level",
                     **params) -> pd.DataFrame:
    return run(con, "metric_quantiles", {**_filters(params), **_metric(metric)}, group=_group(group))


HEATMAP_METRICS = [
    "substantive_disclosure_rate", "grant_rate", "denial_rate", "unable_rate", "procedural_closure_rate",
    "completion_rate", "legal_person_share", "dispute_rate", "review_correction_rate",
    "litigation_correction_rate",
]


def metric_heatmap(con, *, limit: int = 25, metrics: list[str] | None = None, **params) -> pd.DataFrame:
    keys = [k for k in (metrics or HEATMAP_METRICS) if k in METRICS]
    columns, _ = summed_columns(["applications", *keys])
    p = {**_filters(params), "limit": int(limit), "columns": columns, "ranked": keys}
    return run(con, "metric_heatmap", {**p, "looked_up": _looked_up(con, p)}, **heatmap_slots(keys))


def agency_outcomes(con, *, agencies: list[str] | None = None, **params) -> pd.DataFrame:
    columns = OUTCOME_COLUMNS + REVIEW_COLUMNS
    p = {**_filters(params), "agencies": list(agencies or []), "columns": columns}
    return _in_order(run(con, "agency_outcomes", p), columns)


# ---------------------------------------------------------------- trends


def metric_trend(con, *, metric: str = "substantive_disclosure_rate", group: str = "level",
                 max_groups: int = 8, agencies: list[str] | None = None, **params) -> pd.DataFrame:
    p = {**_filters(params), "max_groups": int(max_groups), "agencies": list(agencies or []),
         **_metric(metric), "group": group}
    return run(con, "metric_trend", p, group=_group(group))


def outcome_by_year(con, **params) -> pd.DataFrame:
    return run(con, "outcome_by_year", _filters(params))


# ---------------------------------------------------------------- outcomes, review, active


def outcome_totals(con, **params) -> pd.DataFrame:
    return _in_order(run(con, "outcome_totals", {**_filters(params), "columns": OUTCOME_COLUMNS}), OUTCOME_COLUMNS)


def applicant_outcomes(con, **params) -> pd.DataFrame:
    """Columns group (granted … other_handled), col_key (applicant column) and value."""
    names = {f"ag_{g}_{c}": (g, c) for g in OUTCOME_GROUP_ROWS for c in PART_COLS}
    df = run(con, "applicant_outcomes", _filters(params))
    pairs = df["name"].map(names)
    return pd.DataFrame({"group": pairs.str[0], "col_key": pairs.str[1],
                         "value": df["value"].astype("float64")})


def review_by_year(con, **params) -> pd.DataFrame:
    return run(con, "review_by_year", _filters(params))


def active_by_year(con, **params) -> pd.DataFrame:
    return run(con, "active_by_year", _filters(params))


# ---------------------------------------------------------------- data quality


# How many of the chosen years an agency has reports in: each year a bit of a 128-bit number, OR-ed
# and counted (a DISTINCT count keeps a set per agency and cost half of coverage.sql at a million
# reports); a range of more years than the number has bits is counted the plain way.
_YEARS_AS_BITS = ("coalesce(bit_count(bit_or(CASE WHEN year BETWEEN $year_from AND $year_to"
                  " THEN CAST(1 AS HUGEINT) << CAST(year - $year_from AS INTEGER) END)), 0)")
_YEARS_DISTINCT = "count(DISTINCT year) FILTER (WHERE year BETWEEN $year_from AND $year_to)"


def coverage(con, *, limit: int = 60, q: str = "", **params) -> pd.DataFrame:
    """Agencies by year, those needing attention first (see coverage.sql); ``q`` searches names."""
    p = {**_filters(params), "limit": int(limit), "q": q.strip()}
    held = _YEARS_AS_BITS if int(p["year_to"]) - int(p["year_from"]) < 127 else _YEARS_DISTINCT
    return run(con, "coverage", p, years_held=held)


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


def quality_ranking(con, *, limit: int = 5000, **params) -> pd.DataFrame:
    """The quality score of each chosen report with its parts and ranks (report_quality), dismissed
    findings left out of its consistency."""
    from .. import quality

    slots = {k: v for k, v in quality.mart_slots().items() if k.startswith("w_") or k.endswith("_penalty")}
    return run(con, "quality_ranking", {**_filters(params), "limit": int(limit)}, **slots)


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


def report_corrections(con, *, report_id: int) -> pd.DataFrame:
    return run(con, "report_corrections", {"report_id": int(report_id)})


def report_findings(con, *, report_id: int, agency_id: str, year: int) -> pd.DataFrame:
    return run(con, "report_findings", {"report_id": int(report_id), "agency_id": agency_id, "year": int(year)})


def report_previous(con, *, agency_id: str, year: int) -> pd.DataFrame:
    return run(con, "report_previous", {"agency_id": agency_id, "year": int(year)})


# ---------------------------------------------------------------- one agency (机构画像)

# The comparison bases of a profile: the agency's own city, its province, the whole warehouse.
PROFILE_BASES = ("city", "province", "all")


def profile_agencies(con, *, agency_id: str = "", limit: int = 3000, **params) -> pd.DataFrame:
    """Agencies of the chosen place, levels, kinds and datasets, the one named first whatever they are."""
    return run(con, "profile_agencies", {**_filters(params), "agency_id": agency_id, "limit": int(limit)})


def profile_years(con, *, agency_id: str, datasets: list[str] | None = None) -> pd.DataFrame:
    return run(con, "profile_years", {"agency_id": agency_id, "datasets": list(datasets or flt.DATASETS)})


def profile_peers(con, *, agency_id: str, metric: str = "substantive_disclosure_rate", base: str = "province",
                  min_den: int = 0, datasets: list[str] | None = None) -> pd.DataFrame:
    """One metric of one agency per year with its peers' quartiles and its percentile rank."""
    if base not in PROFILE_BASES:
        raise ValueError(f"unknown comparison base {base!r}")
    return run(con, "profile_peers", {"agency_id": agency_id, "base": base, "min_den": int(min_den),
                                      "datasets": list(datasets or flt.DATASETS), **_metric(metric)})


def profile_findings(con, *, agency_id: str, datasets: list[str] | None = None) -> pd.DataFrame:
    return run(con, "profile_findings", {"agency_id": agency_id, "datasets": list(datasets or flt.DATASETS)})


# ---------------------------------------------------------------- custom report (自定义报表)


def builder_rows(con, *, fields: list[str] | None = None, metrics: list[str] | None = None,
                 agencies: list[str] | None = None, limit: int = 20000, **params) -> pd.DataFrame:
    """One row per current report with the chosen fields and metric numerators/denominators;
    column names come from the allow-lists of ``builder`` (fields.csv keys, registry keys)."""
    field_keys = [k for k in (fields or []) if k in builder.FIELDS]
    metric_keys = [k for k in (metrics or []) if k in METRICS]  # as for fields: only what the registry names
    return run(con, "builder_rows", {**_filters(params), "agencies": list(agencies or []), "limit": int(limit)},
               field_columns=builder.field_columns(field_keys), metric_columns=builder.metric_columns(metric_keys))


def finding_in_scope(con, *, fingerprint: str) -> pd.DataFrame:
    """One row when the finding is visible to the session (the check before a review step)."""
    return run(con, "finding_in_scope", {"fingerprint": str(fingerprint)})


_EX = flt.example()

CATALOGUE: dict[str, tuple] = {
    "filter_years": (filter_years, {}),
    "filter_regions": (filter_regions, {}),
    "filter_datasets": (filter_datasets, {}),
    "demo_in_view": (demo_in_view, dict(_EX)),
    "kpi_by_year": (kpi_by_year, dict(_EX)),
    "kpi_matched": (kpi_matched, dict(_EX)),
    "top_agencies": (top_agencies, {**_EX, "limit": 15}),
    "agency_metrics": (agency_metrics, {**_EX, "limit": 2000}),
    "whole_warehouse": (whole_warehouse, dict(_EX)),
    "metric_peers": (metric_peers, {**_EX, "metric": "substantive_disclosure_rate", "order": "desc", "limit": 30}),
    "metric_outliers": (metric_peers, {**_EX, "metric": "denial_rate", "order": "outlier", "limit": 20}),
    "metric_funnel": (metric_funnel, {**_EX, "metric": "denial_rate", "limit": 20000}),
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
    "quality_ranking": (quality_ranking, {**_EX, "limit": 5000}),
    "ingest_refused": (ingest_refused, {"limit": 200}),
    "finding_in_scope": (finding_in_scope, {"fingerprint": ""}),
    "ingest_recent": (ingest_recent, {"limit": 50}),
    "report_search": (report_search, {**_EX, "q": "", "limit": 300}),
    "report_header": (report_header, {"report_id": 1}),
    "report_cells": (report_cells, {"report_id": 1}),
    "report_corrections": (report_corrections, {"report_id": 1}),
    "report_findings": (report_findings, {"report_id": 1, "agency_id": "", "year": 2024}),
    "report_previous": (report_previous, {"agency_id": "", "year": 2024}),
    "profile_agencies": (profile_agencies, {**_EX, "agency_id": "", "limit": 3000}),
    "profile_years": (profile_years, {"agency_id": "", "datasets": list(flt.DATASETS)}),
    "profile_peers": (profile_peers, {"agency_id": "", "metric": "substantive_disclosure_rate", "base": "province",
                                      "min_den": 30, "datasets": list(flt.DATASETS)}),
    "profile_peers_count": (profile_peers, {"agency_id": "", "metric": "applications", "base": "all",
                                            "min_den": 30, "datasets": list(flt.DATASETS)}),
    "profile_findings": (profile_findings, {"agency_id": "", "datasets": list(flt.DATASETS)}),
    "builder_rows": (builder_rows, {**_EX, "fields": ["a_new_received", "a_granted", "rv_total", "ad_fees_amount"],
                                    "metrics": ["substantive_disclosure_rate", "applications"], "agencies": [],
                                    "limit": 20000}),
}
