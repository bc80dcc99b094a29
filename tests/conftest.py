"""Shared fixtures: a builder of small, rule-consistent report texts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from fixtures.report_text import ReportText

pytest_plugins = ["robustness_plugin"]

# The app runs in single-user local mode unless a test gives it an account file: an account file a
# developer made in the checkout (var/users.toml) must not change what the tests see.
os.environ.setdefault("ANALYTICS_USERS", str(Path(tempfile.gettempdir()) / f"analytics-no-users-{os.getpid()}.toml"))


@pytest.fixture
def report_text():
    """Factory: ``report_text(template="2021", layout="tab")`` gives a ``ReportText`` to adjust."""
    return ReportText


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the tests of a browser module (started only when a test asks)."""
    from fixtures.browser import chromium

    with chromium() as b:
        yield b
