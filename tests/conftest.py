"""Shared fixtures: a builder of small, rule-consistent report texts."""

from __future__ import annotations

import pytest

from fixtures.report_text import ReportText

pytest_plugins = ["robustness_plugin"]


@pytest.fixture
def report_text():
    """Factory: ``report_text(template="2021", layout="tab")`` gives a ``ReportText`` to adjust."""
    return ReportText
