"""Every metric of the view against values computed by hand from the gold records.

The expected numbers are computed here in plain Python from the gold JSON, following
docs/spec/metrics.md, independently of the SQL; one report's figures are also written out.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from analytics import fields as F
from analytics.warehouse import connect_read, load_records
from analytics.metrics import METRIC_KEYS as METRIC_NAMES
from fixtures.corpus import gold_files
from fixtures.records import fresh_warehouse, make_record

# One gold file per (agency, year): the web-page twins of the 平潭 texts hold the same report.
GOLD = [p for p in gold_files() if "_网页" not in p.name]


def _v(x):
    return 0 if x is None else x


def _ratio(num, den):
    return None if not den else num / den


def expected_metrics(g: dict, kind: str | None = None) -> dict:
    apps, rl, ad = g["applications"], g["review_litigation"], g["active_disclosure"]

    def total(row):
        cells = apps.get(row)
        if not cells:
            return None
        if cells.get("total") is not None:
            return cells["total"]
        parts = [v for k, v in cells.items() if k != "total" and v is not None]
        return sum(parts) if parts else None

    def group(rows):
        values = [total(r) for r in rows]
        return None if all(v is None for v in values) else sum(_v(v) for v in values)

    nr, co, cf, tp = total("new_received"), total("carried_over"), total("carried_forward"), total("total_processed")
    denied, unable, refused = group(F.DENIED_ROWS), group(F.UNABLE_ROWS), group(F.REFUSED_ROWS)
    other = group(F.OTHER_ROWS_2021)
    other = other if other is not None else total("other_total")
    workload = None if nr is None and co is None else _v(nr) + _v(co)
    rv, ld, la = (rl.get(k, {}) for k in ("review", "litigation_direct", "litigation_after_review"))
    g_ = lambda d, k: _v(d.get(k))  # noqa: E731
    out = {
        "applications": nr,
        "workload": workload,
        "completion_rate": _ratio(_v(tp), _v(workload)),
        "carry_forward_rate": _ratio(_v(cf), _v(workload)),
        "backlog_change": None if cf is None and co is None else _v(cf) - _v(co),
        "grant_rate": _ratio(_v(total("granted")), _v(tp)),
        "substantive_disclosure_rate": _ratio(_v(total("granted")) + _v(total("partially_granted")), _v(tp)),
        "resolvable_disclosure_rate": _ratio(_v(total("granted")) + _v(total("partially_granted")),
                                             _v(tp) - _v(refused) - _v(other)),
        "denial_rate": _ratio(_v(denied), _v(tp)),
        "unable_rate": _ratio(_v(unable), _v(tp)),
        "not_held_rate": _ratio(_v(total("unable_not_held")), _v(tp)),
        "procedural_closure_rate": _ratio(_v(refused) + _v(other), _v(tp)),
        "legal_person_share": _ratio(_v(nr) - _v(apps["new_received"].get("natural_person")), _v(nr)),
        "dispute_rate": _ratio(g_(rv, "total") + g_(ld, "total"), _v(nr)),
        "dispute_per_100": _ratio(100 * (g_(rv, "total") + g_(ld, "total")), _v(nr)),
        "review_correction_rate": _ratio(g_(rv, "corrected"), g_(rv, "total") - g_(rv, "pending")),
        "litigation_correction_rate": _ratio(g_(ld, "corrected") + g_(la, "corrected"),
                                             g_(ld, "total") - g_(ld, "pending") + g_(la, "total") - g_(la, "pending")),
        "correction_per_100": _ratio(100 * sum(g_(d, "corrected") for d in (rv, ld, la)), _v(nr)),
        "pending_share": _ratio(sum(g_(d, "pending") for d in (rv, ld, la)), sum(g_(d, "total") for d in (rv, ld, la))),
        "net_new_normative": (_v(ad.get("normative_issued")) - _v(ad.get("normative_repealed"))
                              if g["template"] == "2021" and (ad.get("normative_issued") is not None
                                                              or ad.get("normative_repealed") is not None) else None),
        "on_time": None,
        "licensing_decisions": ad.get("licensing_decisions"),
        "punishment_decisions": ad.get("punishment_decisions"),
        "coercion_decisions": ad.get("coercion_decisions"),
        "fees_amount": ad.get("fees_amount"),
    }
    for key in F.DENIED_ROWS:
        out[f"denial_share_{key[len('denied_'):]}"] = _ratio(_v(total(key)), _v(denied))
    return out


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    db = fresh_warehouse(tmp_path_factory.mktemp("gold") / "w.duckdb")
    load_records(db, [json.loads(p.read_text(encoding="utf-8")) for p in GOLD])
    con = connect_read(db)
    cur = con.execute("SELECT * FROM report_metrics")
    names = [d[0] for d in cur.description]
    rows = {(r["agency_id"], r["year"]): r for r in (dict(zip(names, v)) for v in cur.fetchall())}
    con.close()
    return rows


def test_the_view_has_every_metric_with_numerator_and_denominator(metrics):
    row = next(iter(metrics.values()))
    for m in METRIC_NAMES:
        assert {m, f"{m}_num", f"{m}_den"} <= set(row), m


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_every_metric_matches_the_gold_record(metrics, gold):
    g = json.loads(gold.read_text(encoding="utf-8"))
    row = metrics[(g["agency"], g["year"])]
    expected = expected_metrics(g)
    assert set(expected) == set(METRIC_NAMES)
    for name, value in expected.items():
        got = row[name]
        if value is None:
            assert got is None, name
        else:
            assert got is not None and math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9), (name, got, value)


def test_huai_an_2023_by_hand(metrics):
    # From 淮安市洪泽区人民政府_2023.gold.json: 21 new, 0 carried, 21 processed, 0 granted,
    # 4 partial, denied 1+1+1, unable 10+3, refused 1; review 10 upheld 1 corrected total 0.
    row = metrics[("淮安市洪泽区人民政府", 2023)]
    assert row["applications"] == 21 and row["workload"] == 21
    assert row["completion_rate"] == 1.0
    assert row["substantive_disclosure_rate"] == pytest.approx(4 / 21)
    assert row["denial_rate"] == pytest.approx(3 / 21)
    assert row["unable_rate"] == pytest.approx(13 / 21)
    assert row["resolvable_disclosure_rate"] == pytest.approx(4 / 20)
    assert row["review_correction_rate"] is None  # the published total is 0: no denominator
    assert row["correction_per_100"] == pytest.approx(100 * 1 / 21)
    assert row["net_new_normative"] == -5 and row["fees_amount"] == 7730.28
    assert row["denial_share_process_info"] == pytest.approx(1 / 3)


def test_on_time_uses_the_deadline_of_the_agency_kind(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(db, [
        make_record("江苏省淮安市教育局", 2023, published="2024-01-31"),
        make_record("江苏省淮安市民政局", 2023, published="2024-02-01"),
        make_record("江苏省淮安市人民政府", 2023, published="2024-03-31"),
        make_record("江苏省淮安市财政局", 2023, published=None),
    ])
    con = connect_read(db)
    got = dict(con.execute("SELECT agency_id, on_time FROM report_metrics").fetchall())
    assert got == {"江苏省淮安市教育局": 1.0, "江苏省淮安市民政局": 0.0, "江苏省淮安市人民政府": 1.0,
                   "江苏省淮安市财政局": None}
    num, den = con.execute("SELECT sum(on_time_num), sum(on_time_den) FROM report_metrics").fetchone()
    assert (num, den) == (2, 3)
    assert con.execute("SELECT deadline FROM report_metrics WHERE kind = 'government'").fetchone()[0] == date(2024, 3, 31)
