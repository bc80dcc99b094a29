"""The synthetic warehouse at a tiny scale: its own consistency, and every page query of the
dashboard's CATALOGUE checked against the same answer computed in pandas from the same tables."""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics.warehouse import reviewdb
from analytics.dashboard import queries as Q
from analytics.fields import TEMPLATE_2021_FIRST_YEAR
from analytics.errors import ReportError
from analytics.synth import generate

SCALE = 0.0002


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    stats = generate(path, SCALE, seed=7)
    return path, stats


@pytest.fixture(scope="module")
def con(db):
    c = duckdb.connect(str(db[0]), read_only=True)
    reviewdb.register(c, db[0])  # decisions come from the review store beside the warehouse
    yield c
    c.close()


@pytest.fixture(scope="module")
def frames(con):
    return {t: con.execute(f"SELECT * FROM {t}").df()
            for t in ("agencies", "reports", "report_wide", "cells", "findings", "cell_corrections")}


def test_population_shape(db, frames):
    _, stats = db
    w = frames["report_wide"]
    cur = w[w.is_current]
    assert 200 <= stats["current_reports"] <= 3000
    assert stats["wide_unfilled"] == []
    assert set(cur.year) == set(range(2019, 2026))
    assert (cur.loc[cur.year < TEMPLATE_2021_FIRST_YEAR, "template"] == "2019").mean() > 0.95
    assert (cur.loc[cur.year >= TEMPLATE_2021_FIRST_YEAR, "template"] == "2021").mean() > 0.95
    # Each agency has at most one current report a year, and versions keep their agency and year.
    assert not cur.duplicated(["agency_id", "year"]).any()
    # Townships get a handful of applications, city governments thousands.
    med = cur.groupby(["level", "kind"]).a_new_received.median()
    assert med[("township", "township")] < 20
    if ("city", "government") in med.index:
        assert med[("city", "government")] > 300
    # Outcome shares as real reports show them.
    granted = (cur.a_granted.fillna(0) + cur.a_partially_granted.fillna(0)).sum()
    assert 0.3 < granted / cur.a_total_processed.sum() < 0.7


def test_carry_over_continues(frames):
    w = frames["report_wide"]
    cur = w[w.is_current].sort_values(["agency_id", "year"])
    prev = cur.groupby("agency_id").shift(1)
    consecutive = prev.year == cur.year - 1
    same = cur.a_carried_over[consecutive] == prev.a_carried_forward[consecutive]
    assert consecutive.sum() > 100
    assert same.mean() > 0.9
    broken = (~same).sum()
    found = frames["findings"]
    carry = found[(found.rule == "X_CARRYOVER") & (found.subject == "total")]
    assert len(carry) == broken


def test_wide_matches_the_warehouse_pivot_of_cells(db):
    """report_wide written by the generator equals the warehouse's own pivot of the cells."""
    from analytics.warehouse import wide

    c = duckdb.connect(":memory:")
    c.execute(f"ATTACH '{db[0]}' AS s (READ_ONLY)")
    c.execute("USE s")
    c.execute("CREATE TEMP TABLE _batch AS SELECT report_id FROM reports")
    theirs = c.execute(f"SELECT * FROM ({wide.select_sql()}) ORDER BY report_id").df()
    ours = c.execute("SELECT * FROM report_wide ORDER BY report_id").df()
    c.close()
    value_cols = [k for k in theirs.columns
                  if k.startswith(("a_", "nr_", "co_", "cf_", "rv_", "ld_", "la_", "ad_"))
                  or k in ("denied", "unable", "refused", "other_handled")]
    assert len(value_cols) > 80
    assert list(theirs.report_id) == list(ours.report_id)
    for k in value_cols:
        a = pd.to_numeric(theirs[k]).to_numpy(float)
        b = pd.to_numeric(ours[k]).to_numpy(float)
        assert np.array_equal(a, b, equal_nan=True), k


def test_findings_follow_the_numbers(frames):
    w = frames["report_wide"].set_index("report_id")
    f = frames["findings"]
    assert f.fingerprint.is_unique
    assert set(f.rule) >= {"T3_FLOW", "T3_COLUMN_SUM", "X_CARRYOVER"}
    flow = f[(f.rule == "T3_FLOW") & (f.subject == "total")]
    r = w.loc[flow.report_id]
    lhs = r.a_new_received.fillna(0) + r.a_carried_over.fillna(0)
    rhs = r.a_total_processed.fillna(0) + r.a_carried_forward.fillna(0)
    assert (lhs.to_numpy() != rhs.to_numpy()).all()
    cur = w[w.is_current]
    bad = (cur.a_new_received.fillna(0) + cur.a_carried_over.fillna(0)
           != cur.a_total_processed.fillna(0) + cur.a_carried_forward.fillna(0))
    assert bad.sum() == len(flow)
    counts = f[f.severity == "error"].groupby("report_id").size()
    assert (w.loc[counts.index, "n_findings_error"].to_numpy() == counts.to_numpy()).all()


def test_refuses_a_filled_warehouse_and_a_bad_scale(tmp_path):
    generate(tmp_path / "w.duckdb", 0.0001, with_cells=False)
    with pytest.raises(ReportError, match="w.duckdb 中已有报告"):
        generate(tmp_path / "w.duckdb", 0.0001)
    with pytest.raises(ReportError, match=re.escape("scale 须在 (0, 2] 之内，而不是 0")):
        generate(tmp_path / "x.duckdb", 0)


def test_cli_synth(tmp_path):
    from analytics.cli import main

    assert main(["synth", "--db", str(tmp_path / "c.duckdb"), "--scale", "0.0001", "--quiet",
                 "--no-cells"]) == 0
    c = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    assert c.execute("SELECT count(*) FROM cells").fetchall()[0][0] == 0
    assert c.execute("SELECT count(*) FROM report_wide").fetchall()[0][0] > 0
    c.close()


# ------------------------------------------------------------------ CATALOGUE against pandas


def _filters(kind: str, frames) -> dict:
    from analytics.dashboard import filters

    a = frames["agencies"]
    if kind == "country":
        return filters.example()
    if kind == "country_years":  # the whole country over part of the years: every agency is cut
        return filters.example(year_from=2021, year_to=2025)
    if kind == "one_year":  # one current report per agency: the per-agency queries do not group
        return filters.example(year_from=2023, year_to=2023)
    if kind == "province":
        return filters.example(province=a.province.value_counts().index[0], year_from=2021)
    city = a.dropna(subset=["city"]).city.value_counts().index[0]
    prov = a.loc[a.city == city, "province"].iloc[0]
    return filters.example(province=prov, city=city, year_from=2020, year_to=2024)


def _select(w: pd.DataFrame, p: dict, years: bool = True) -> pd.DataFrame:
    m = w.is_current.astype(bool)
    if years:
        m &= w.year.between(p["year_from"], p["year_to"])
    for k in ("province", "city", "county"):
        if p.get(k) is not None:
            m &= w[k] == p[k]
    if p.get("levels"):
        m &= w.level.isin(p["levels"])
    if p.get("kinds"):
        m &= w.kind.isin(p["kinds"])
    m &= w.dataset.isin(p["datasets"])
    return w[m]


def _metrics(w: pd.DataFrame) -> pd.DataFrame:
    """The numerators and denominators of the metrics the pages use, per report."""
    z = lambda c: w[c].fillna(0)  # noqa: E731
    processed = z("a_total_processed")
    out = pd.DataFrame(index=w.index)
    out["applications_num"] = w.a_new_received
    out["substantive_disclosure_rate_num"] = z("a_granted") + z("a_partially_granted")
    out["substantive_disclosure_rate_den"] = processed
    out["denial_rate_num"] = z("denied")
    out["denial_rate_den"] = processed
    out["review_correction_rate_num"] = z("rv_corrected")
    out["review_correction_rate_den"] = z("rv_total") - z("rv_pending")
    out["litigation_correction_rate_num"] = z("ld_corrected") + z("la_corrected")
    out["litigation_correction_rate_den"] = z("ld_total") - z("ld_pending") + z("la_total") - z("la_pending")
    out["dispute_rate_num"] = z("rv_total") + z("ld_total")
    out["dispute_rate_den"] = z("a_new_received")
    return pd.concat([w, out], axis=1)


def _rate(df, key):
    den = df[key + "_den"].astype(float)
    return df[key + "_num"].astype(float) / den.where(den != 0)


def _close(a, b):
    a = pd.to_numeric(pd.Series(list(a)), errors="coerce").to_numpy(float)
    b = pd.to_numeric(pd.Series(list(b)), errors="coerce").to_numpy(float)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)


def _per_agency(sel: pd.DataFrame, key: str) -> pd.DataFrame:
    g = sel.groupby("agency_id").agg(num=(key + "_num", "sum"), den=(key + "_den", "sum"),
                                     level=("level", "first"), kind=("kind", "first"),
                                     name=("name", "first"))
    g["value"] = g.num / g.den.where(g.den != 0)
    return g


def check_filter_years(got, p, fr):
    w = fr["report_wide"]
    assert list(got.year) == sorted(w[w.is_current].year.unique())


def check_filter_regions(got, p, fr):
    a = fr["agencies"].dropna(subset=["province"])
    want = {tuple(None if pd.isna(x) else x for x in t) for t in a[["province", "city", "county"]].itertuples(index=False)}
    have = {tuple(None if pd.isna(x) else x for x in t) for t in got[["province", "city", "county"]].itertuples(index=False)}
    assert have == want


def check_filter_datasets(got, p, fr):
    w = fr["report_wide"]
    assert dict(zip(got.dataset, got.n_reports)) == w[w.is_current].dataset.value_counts().to_dict()


def check_demo_in_view(got, p, fr):
    sel = _select(fr["report_wide"], p)
    assert int(got.n_demo.iloc[0]) == int((sel.dataset == "demo").sum())


def check_kpi_by_year(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], {**p, "year_from": p["year_from"] - 1}))
    g = sel.groupby("year")
    assert list(got.year) == sorted(g.groups)
    _close(got.n_reports, g.size())
    _close(got.applications, g.applications_num.sum())
    for key in ("substantive_disclosure_rate", "denial_rate", "review_correction_rate"):
        if key in got:
            _close(got[key], _rate(g[[key + "_num", key + "_den"]].sum(), key))


def check_kpi_matched(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], {**p, "year_from": p["year_to"] - 1}))
    both = sel.groupby("agency_id").year.nunique()
    sel = sel[sel.agency_id.isin(both[both == 2].index)]
    g = sel.groupby("year")
    assert list(got.year) == sorted(g.groups)
    _close(got.n_reports, g.size())
    _close(got.applications, g.applications_num.sum())
    for key in ("substantive_disclosure_rate", "denial_rate", "review_correction_rate"):
        _close(got[key], _rate(g[[key + "_num", key + "_den"]].sum(), key))


def check_metric_funnel(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    per = _per_agency(sel, p["metric"])
    per = per[per.den > 0].sort_values("den", ascending=False, kind="mergesort")
    assert len(got) == min(p["limit"], len(per))
    _close(got.num, per.num.reindex(got.agency_id))
    _close(got.den, per.den.reindex(got.agency_id))
    assert list(got.den) == sorted(got.den, reverse=True)


def check_top_agencies(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    s = sel.groupby("agency_id").applications_num.sum().sort_values(ascending=False)
    assert len(got) == min(p["limit"], len(s))
    _close(got.applications, s.iloc[: len(got)])
    _close(got.applications, s.reindex(got.agency_id))


def check_agency_metrics(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    per = _per_agency(sel, "substantive_disclosure_rate").reindex(got.agency_id)
    assert len(got) == min(p["limit"], sel.agency_id.nunique())
    _close(got.n_reports, sel.groupby("agency_id").size().reindex(got.agency_id))
    _close(got.substantive_disclosure_rate, per.value)
    _close(got.applications, sel.groupby("agency_id").applications_num.sum().reindex(got.agency_id))


def check_metric_peers(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    per = _per_agency(sel, p["metric"]).dropna(subset=["value"])
    peers = per.groupby(["level", "kind"], dropna=False).value
    per["n_peers"] = peers.transform("size")
    per["peer_median"] = peers.transform("median")
    for q in (10, 25, 75, 90):
        per[f"peer_p{q}"] = peers.transform(lambda v, q=q: v.quantile(q / 100))
    per["peer_percentile"] = peers.rank(method="min").sub(1).div((per.n_peers - 1).where(per.n_peers > 1)).fillna(0)
    per["peer_mad"] = (per.value - per.peer_median).abs().groupby([per.level, per.kind], dropna=False).transform("median")
    per["robust_score"] = (per.value - per.peer_median) / (1.4826 * per.peer_mad).where(per.peer_mad != 0)
    per = per.reindex(got.agency_id)
    for c in ("value", "n_peers", "peer_median", "peer_p10", "peer_p25", "peer_p75", "peer_p90",
              "peer_percentile", "peer_mad", "robust_score"):
        _close(got[c], per[c])
    if p["order"] == "desc":
        assert list(got.value) == sorted(got.value, reverse=True)
        _close(got.value, per.value.sort_values(ascending=False).iloc[: len(got)].sort_values(ascending=False))


def check_metric_quantiles(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    per = _per_agency(sel, p["metric"])
    per["grp"] = sel.groupby("agency_id")[p["group"]].first()
    per = per.dropna(subset=["value"])
    med = per.groupby("grp").value.median()
    _close(got.p50, med.reindex(got.grp))
    _close(got.n_agencies, per.groupby("grp").size().reindex(got.grp))


def check_metric_heatmap(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    size = sel.groupby("agency_id").applications_num.sum().sort_values(ascending=False)
    assert len(got) == min(p["limit"], len(size))
    _close(got["size"], size.iloc[: len(got)])
    for key in ("substantive_disclosure_rate", "denial_rate", "review_correction_rate", "dispute_rate"):
        v = _per_agency(sel, key).value.dropna()
        pct = v.rank(method="min").sub(1).div(len(v) - 1 if len(v) > 1 else np.nan).fillna(0)
        _close(got[key], pct.reindex(got.agency_id))


def check_agency_outcomes(got, p, fr):
    sel = _select(fr["report_wide"], p)
    sel = sel[sel.agency_id.isin(p["agencies"])]
    s = sel.groupby("agency_id")[["a_granted", "denied", "rv_total"]].sum().reindex(got.agency_id)
    assert len(got) == sel.agency_id.nunique()
    for c in s:
        _close(got[c], s[c])


def check_metric_trend(got, p, fr):
    sel = _metrics(_select(fr["report_wide"], p))
    key = p["metric"]
    g = sel.groupby(["year", p["group"]])[[key + "_num", key + "_den"]].sum()
    v = _rate(g, key)
    _close(got.value, [v[(y, grp)] for y, grp in zip(got.year, got.grp)])


def _col(got, *names):
    """The first of ``names`` the query returns (its SQL may name a column either way)."""
    for n in names:
        if n in got:
            return got[n]
    raise AssertionError(f"none of {names} in {list(got.columns)}")


def check_outcome_by_year(got, p, fr):
    g = _select(fr["report_wide"], p).groupby("year")
    _close(_col(got, "a_granted", "granted"), g.a_granted.sum())
    _close(got.denied, g.denied.sum())
    _close(_col(got, "a_total_processed", "total_processed"), g.a_total_processed.sum())


def check_outcome_totals(got, p, fr):
    sel = _select(fr["report_wide"], p)
    assert got.n_reports.iloc[0] == len(sel)
    for c in Q.OUTCOME_COLUMNS:
        if c in got:
            _close([got[c].iloc[0]], [sel[c].sum(min_count=1)])


def check_applicant_outcomes(got, p, fr):
    """Per report, each group's rows summed per applicant column (the 2019 其他处理 row only where
    no 2021 other_* row is filled), then summed over the chosen reports: straight from cells."""
    from analytics.warehouse.wide import OUTCOME_GROUP_ROWS

    ids = set(_select(fr["report_wide"], p).report_id)
    c = fr["cells"]
    c = c[c.report_id.isin(ids) & (c.tbl == "applications") & (c.col_key != "total") & c.value.notna()]
    group_of = {k: g for g, keys in OUTCOME_GROUP_ROWS.items() for k in keys}
    group_of["other_total"] = "other_fallback"
    c = c.assign(group=c.row_key.map(group_of)).dropna(subset=["group"])
    per = c.groupby(["report_id", "group", "col_key"]).value.sum().unstack("group")
    if "other_fallback" in per:
        fallback = per.pop("other_fallback")
        per["other_handled"] = per.get("other_handled", fallback * float("nan")).fillna(fallback)
    want = per.stack().groupby(level=["group", "col_key"]).sum()
    have = got.set_index(["group", "col_key"]).value
    assert len(have) > 0 and set(have.index) == set(want.index)
    _close(have.sort_index(), want.sort_index())


def check_review_by_year(got, p, fr):
    g = _select(fr["report_wide"], p).groupby("year")
    for c in ("rv_total", "ld_corrected", "la_pending"):
        _close(got[c], g[c].sum())
    _close(got.applications, g.a_new_received.sum())


def check_active_by_year(got, p, fr):
    g = _select(fr["report_wide"], p).groupby(["year", "template"])
    assert len(got) == g.ngroups
    _close(got.ad_licensing_decisions, g.ad_licensing_decisions.sum(min_count=1))
    _close(got.ad_normative_issued, g.ad_normative_issued.sum(min_count=1))


def check_coverage(got, p, fr):
    """The agencies needing most attention first: most years of the range without a report, then
    most error findings; an agency with no report in the range still has its row (year NULL)."""
    region = _select(fr["report_wide"], p, years=False)
    in_range = region[region.year.between(p["year_from"], p["year_to"])]
    span = p["year_to"] - p["year_from"] + 1
    missing = span - in_range.groupby("agency_id").year.nunique().reindex(region.agency_id.unique(), fill_value=0)
    errors = in_range.groupby("agency_id").n_findings_error.sum().reindex(missing.index, fill_value=0)
    chosen = set(got.agency_id)
    assert len(chosen) == min(p["limit"], len(missing))
    per = got.drop_duplicates("agency_id").set_index("agency_id")
    assert (per.n_missing == missing.reindex(per.index)).all()
    assert (per.n_errors == errors.reindex(per.index)).all()
    keys = list(zip(-per.n_missing, -per.n_errors))
    assert keys == sorted(keys)  # in order of attention
    if len(missing) > p["limit"]:  # nobody left out needs more attention than the last one shown
        worst_left = max(zip(missing.drop(per.index), errors.drop(per.index)))
        assert worst_left <= (per.n_missing.iloc[-1], per.n_errors.iloc[-1])
    rows = in_range[in_range.agency_id.isin(chosen)]
    assert len(got.dropna(subset=["year"])) == len(rows)


def check_coverage_by_year(got, p, fr):
    region = _select(fr["report_wide"], p, years=False)
    per = region[region.year.between(p["year_from"], p["year_to"])].groupby("year").agency_id.nunique()
    _close(got.n_agencies, per.reindex(got.year))
    assert (got.n_known == region.agency_id.nunique()).all()


def _findings_of(p, fr):
    sel = _select(fr["report_wide"], p)
    f = fr["findings"]
    keys = set(zip(sel.agency_id, sel.year))
    return f[[k in keys for k in zip(f.agency_id, f.year)]]


def check_findings_list(got, p, fr):
    f = _findings_of(p, fr)
    assert len(got) == min(p["limit"], len(f))
    if len(f) <= p["limit"]:
        assert set(got.fingerprint) == set(f.fingerprint)


def check_findings_summary(got, p, fr):
    f = _findings_of(p, fr)
    want = f.groupby(["rule", "severity"]).size()
    have = got.set_index(["rule", "severity"]).n
    assert have.sort_index().to_dict() == want.sort_index().to_dict()


def check_quality_ranking(got, p, fr):
    """The chosen current reports, each part recomputed from report_wide and cells with pandas, the
    weights and constants from the registry, and the ranks as pandas ranks them."""
    from analytics import fields as F
    from analytics.quality import registry

    reg = registry()
    c = reg.constants
    sel = _select(fr["report_wide"], p).set_index("report_id")
    assert set(got.report_id) == set(sel.index)
    g = got.set_index("report_id").loc[sel.index]
    # consistency: open errors and warnings
    want = (1 - c["error_penalty"] * sel.n_findings_error.fillna(0)
            - c["warning_penalty"] * sel.n_findings_warning.fillna(0)).clip(lower=0)
    _close(g.consistency, want)
    # timeliness: 31 January for departments, offices and zones, else 31 March of the next year
    dead = [pd.Timestamp(y + 1, 1, 31) if k in ("department", "office", "zone") else pd.Timestamp(y + 1, 3, 31)
            for y, k in zip(sel.year, sel.kind)]
    late = (pd.to_datetime(sel.published) - pd.Series(dead, index=sel.index)).dt.days
    want = late.where(late > 0, 0).map(lambda d: max(0.0, 1 - d / c["grace_days"])).where(sel.published.notna())
    _close(g.timeliness, want)
    # completeness: the template's figure cells of tables 2-4 with a value
    cells = fr["cells"]
    cells = cells[cells.report_id.isin(sel.index)]
    printed = cells[cells.tbl == "applications"].groupby("report_id").row_key.agg(set)
    required, filled = {}, cells[cells.kind != "blank"].groupby("report_id")
    filled_keys = {rid: set(zip(d.tbl, d.row_key, d.col_key)) for rid, d in filled}
    for rid, tmpl in sel.template.items():
        rows = printed.get(rid, set())
        three = bool(rows & set(F.OTHER_ROWS_2021)) or ("other_total" not in rows and tmpl != "2019")
        keys = [("active_disclosure", k, "value") for k in F.keys("active", tmpl)]
        app_rows = [f.key for f in F.all_fields() if f.table == "applications_row" and f.template == "both"]
        app_rows += F.OTHER_ROWS_2021 if three else ["other_total"]
        keys += [("applications", r, col) for r in app_rows for col in F.APPLICATION_COLS]
        keys += [("review_litigation", gr, col) for gr in F.REVIEW_GROUPS for col in F.REVIEW_COLS]
        have = filled_keys.get(rid, set())
        required[rid] = (len(keys), sum(k in have for k in keys))
    _close(g.n_required, [required[r][0] for r in sel.index])
    _close(g.completeness, [required[r][1] / required[r][0] for r in sel.index])
    # the total over the parts with a value, and the ranks
    w = {k: part.weight for k, part in reg.parts.items()}
    parts = g[list(w)]
    num = sum(parts[k].fillna(0) * w[k] for k in w)
    den = sum(parts[k].notna() * w[k] for k in w)
    _close(g.score, 100 * num / den)
    assert list(got.score) == sorted(got.score, reverse=True)
    _close(got.rank_all, got.score.rank(method="min", ascending=False))
    _close(got.rank_peer, got.groupby(["year", "level", "kind"], dropna=False).score.rank(method="min", ascending=False))


def check_ingest_refused(got, p, fr):
    assert got.empty      # the synthetic warehouse has no ingest history


check_ingest_recent = check_ingest_refused


def check_whole_warehouse(got, p, fr):
    """True only for every year, place, level, kind and dataset of the current reports."""
    w = fr["report_wide"]
    cur = w[w.is_current]
    want = (p["year_from"] <= cur.year.min() and p["year_to"] >= cur.year.max()
            and not any(p.get(k) for k in ("province", "city", "county", "levels", "kinds"))
            and set(cur.dataset) <= set(p["datasets"])
            and cur.groupby("agency_id").dataset.nunique().max() == 1)
    assert list(got.whole_warehouse) == [want]


def check_report_search(got, p, fr):
    sel = _select(fr["report_wide"], p)
    if p.get("q"):
        sel = sel[sel.name.str.contains(p["q"], regex=False)]
    assert len(got) == min(p["limit"], len(sel))
    assert set(got.report_id) <= set(sel.report_id)


def check_report_header(got, p, fr):
    r = fr["reports"].set_index("report_id").loc[p["report_id"]]
    assert got.agency_id.iloc[0] == r.agency_id and got.year.iloc[0] == r.year


def check_report_cells(got, p, fr):
    c = fr["cells"]
    c = c[c.report_id == p["report_id"]]
    assert len(got) == len(c) > 100
    _close(got.sort_values(["tbl", "row_key", "col_key"]).value,
           c.sort_values(["tbl", "row_key", "col_key"]).value)


def check_report_corrections(got, p, fr):
    c = fr["cell_corrections"]
    c = c[c.report_id == p["report_id"]]
    assert sorted(got.value) == sorted(c.value) and list(got.columns)[:3] == ["tbl", "row_key", "col_key"]


def check_report_findings(got, p, fr):
    f = fr["findings"]
    f = f[(f.report_id == p["report_id"]) | ((f.agency_id == p["agency_id"]) & (f.year == p["year"]))]
    assert set(got.fingerprint) == set(f.fingerprint)


def check_report_previous(got, p, fr):
    r = fr["reports"]
    want = r[(r.agency_id == p["agency_id"]) & (r.year == p["year"] - 1) & r.is_current].report_id
    assert list(got.report_id) == list(want)


def _agency_for_profile(p, fr):
    """The agency the profile checks look at: the one the parameters name."""
    w = fr["report_wide"]
    return w[w.is_current & (w.agency_id == p["agency_id"]) & w.dataset.isin(p["datasets"])]


def check_profile_agencies(got, p, fr):
    """Every agency of the place (all years), the named one first even when outside it."""
    w = fr["report_wide"]
    sel = _select(w, p, years=False)
    want = set(sel.agency_id)
    assert got.agency_id.is_unique
    assert set(got.agency_id) - {p["agency_id"]} == want - {p["agency_id"]} or len(got) == p["limit"]
    if p["agency_id"] in set(w[w.is_current].agency_id):
        assert got.agency_id.iloc[0] == p["agency_id"]
    reports = sel.groupby("agency_id").size()
    shown = got.set_index("agency_id")
    common = reports.index.intersection(shown.index)
    assert (shown.loc[common, "n_reports"] == reports.loc[common]).all()


def check_profile_years(got, p, fr):
    mine = _agency_for_profile(p, fr).sort_values(["year", "dataset"])
    assert list(got.year) == list(mine.year)
    _close(got.a_new_received, mine.a_new_received)
    _close(got.denied, mine.denied)


def check_profile_peers(got, p, fr):
    """Peers: same level and kind within the base, each year; quartiles and rank recomputed."""
    from analytics.dashboard.metrics import METRICS

    w = _metrics(fr["report_wide"])
    cur = w[w.is_current & w.dataset.isin(p["datasets"])]
    me = cur[cur.agency_id == p["agency_id"]]
    if me.empty:
        assert got.empty
        return
    first = me.iloc[0]
    same = lambda col: cur[col].fillna("∅") == (first[col] if first[col] == first[col] else "∅")  # noqa: E731
    peers = cur[same("level") & same("kind")]
    if p["base"] in ("province", "city"):
        peers = peers[same("province").loc[peers.index]]
    if p["base"] == "city":
        peers = peers[same("city").loc[peers.index]]
    key, ratio = p["metric"], METRICS[p["metric"]].is_ratio
    num = peers[key + "_num"] if key + "_num" in peers else peers.a_new_received
    den = peers[key + "_den"] if key + "_den" in peers else peers.a_new_received.notna().astype(float)
    g = pd.DataFrame({"agency_id": peers.agency_id, "year": peers.year, "num": num, "den": den}) \
        .groupby(["agency_id", "year"], as_index=False).sum(min_count=1)
    g["value"] = g.num / g.den.where(g.den != 0) if ratio else g.num
    valued = g.dropna(subset=["value"])
    assert list(got.year) == sorted(me.year.unique())
    for row in got.itertuples():
        year_peers = valued[valued.year == row.year].value
        mine = g[(g.agency_id == p["agency_id"]) & (g.year == row.year)].iloc[0]
        _close([row.value], [mine.value])
        _close([row.n_peers], [len(year_peers)] if len(year_peers) else [np.nan])
        if len(year_peers):
            _close([row.peer_p25, row.peer_median, row.peer_p75], np.quantile(year_peers, [0.25, 0.5, 0.75]))
        if mine.value != mine.value or (ratio and mine.den < p["min_den"]):
            assert row.peer_percentile != row.peer_percentile
        else:
            n = len(year_peers)
            _close([row.peer_percentile], [(year_peers < mine.value).sum() / (n - 1) if n > 1 else 0])


def check_profile_findings(got, p, fr):
    w = fr["report_wide"]
    cur = w[w.is_current & (w.agency_id == p["agency_id"]) & w.dataset.isin(p["datasets"])]
    f = fr["findings"]
    want = f.merge(cur[["agency_id", "year"]], on=["agency_id", "year"])
    assert set(got.fingerprint) == set(want.fingerprint)


def check_builder_rows(got, p, fr):
    """One row per current report of the filters, the chosen fields as report_wide holds them."""
    sel = _metrics(_select(fr["report_wide"], p))
    if p["agencies"]:
        sel = sel[sel.agency_id.isin(p["agencies"])]
    assert len(got) == min(len(sel), p["limit"])
    a = got.sort_values("report_id")
    b = sel.sort_values("report_id")
    assert list(a.report_id) == list(b.report_id)
    for k in p["fields"]:
        _close(a[k], b[k])
    _close(a.substantive_disclosure_rate_num, b.substantive_disclosure_rate_num)
    _close(a.substantive_disclosure_rate_den, b.substantive_disclosure_rate_den)
    _close(a.applications_num, b.applications_num)


def check_finding_in_scope(got, p, fr):
    """One row when the fingerprint is a finding's (or a decision's), none for a made-up one."""
    known = set(fr["findings"].fingerprint)
    assert list(got.fingerprint) == ([p["fingerprint"]] if p["fingerprint"] in known else [])


CHECKS = {k[len("check_"):]: v for k, v in globals().items() if k.startswith("check_")}


def _params(name: str, fn, example: dict, kind: str, frames) -> dict:
    """The example parameters of a query, with the region of ``kind`` and real ids filled in."""
    p = dict(example)
    if "year_from" in p:
        p.update(_filters(kind, frames))
    f = frames["findings"]
    w = frames["report_wide"]
    if "report_id" in p:
        rid = int(f.dropna(subset=["report_id"]).report_id.iloc[0])
        p["report_id"] = rid
    if "agency_id" in p:
        row = w[w.report_id == p.get("report_id", int(w.report_id.iloc[0]))].iloc[0]
        p["agency_id"], p["year"] = row.agency_id, int(row.year)
    if "agencies" in p:
        sel = _select(w, p) if "year_from" in p else w
        p["agencies"] = list(sel.agency_id.drop_duplicates().iloc[:3])
    if "q" in p:
        p["q"] = "人民政府"
    if "fingerprint" in p:
        p["fingerprint"] = str(f.fingerprint.iloc[len(f) // 2])
    if name.startswith("profile_"):  # an agency with several years and findings
        f_cur = f.merge(w[w.is_current][["agency_id", "year"]], on=["agency_id", "year"])
        p["agency_id"] = f_cur.agency_id.value_counts().index[0]
        if "year" not in example:
            p.pop("year", None)
    return p


@pytest.mark.parametrize("kind", ["country", "country_years", "one_year", "province", "city"])
def test_catalogue_against_pandas(con, frames, kind):
    checked = []
    for name, (fn, example) in Q.CATALOGUE.items():
        p = _params(name, fn, example, kind, frames)
        got = fn(con, **p)
        check = CHECKS.get(fn.__name__)
        assert check is not None, f"no pandas check for query {name} ({fn.__name__})"
        check(got, p, frames)
        checked.append(name)
    assert len(checked) == len(Q.CATALOGUE)


# ------------------------------------------------------------------ default view from precomputed tables


def test_default_view_reads_the_precomputed_tables_with_the_same_answers(con):
    """Every year, place and dataset: peers, outliers and heatmap come from peer_stats, peer_ecdf
    and metric_ecdf; the same SQL that computes them over every agency must give the same rows."""
    from analytics.dashboard import filters
    from fixtures.default_view import assert_default_view_matches, whole_warehouse

    p = filters.example()
    assert whole_warehouse(con, p)
    assert not whole_warehouse(con, {**p, "province": "x"})
    assert not whole_warehouse(con, {**p, "year_from": p["year_to"]})
    assert not whole_warehouse(con, {**p, "datasets": ["real"]})
    assert assert_default_view_matches(con, p) > 1000
