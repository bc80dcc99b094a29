"""Running the consistency rules of docs/spec/rules.md (placeholder filled below)."""

from __future__ import annotations


def run_checks(con, agency_ids=None):
    return agency_ids
