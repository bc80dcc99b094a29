"""The dashboard's metric texts and the warehouse's metric list describe the same metrics."""

from analytics.dashboard.metrics import METRICS as SHOWN
from analytics.warehouse.metrics import METRICS as DEFINED


def test_every_metric_shown_is_defined_in_the_warehouse_with_the_same_chinese_name():
    defined = {m.name: m for m in DEFINED}
    missing = sorted(set(SHOWN) - set(defined))
    assert not missing, f"shown but not in report_metrics: {missing}"
    for key, shown in SHOWN.items():
        # the on-time metric is a share of reports on the page, "按时发布" in the dictionary
        assert shown.label.startswith(defined[key].zh.replace("金额", "")), (key, shown.label, defined[key].zh)
        assert (shown.kind == "rate") == (defined[key].kind == "rate"), key


def test_every_headline_rate_of_the_spec_is_shown():
    spec_rates = {"completion_rate", "carry_forward_rate", "grant_rate", "substantive_disclosure_rate",
                  "resolvable_disclosure_rate", "denial_rate", "unable_rate", "procedural_closure_rate",
                  "legal_person_share", "dispute_rate", "review_correction_rate",
                  "litigation_correction_rate", "correction_per_100", "pending_share", "on_time"}
    assert spec_rates <= set(SHOWN)
