"""A national-scale synthetic population written straight into the warehouse (no documents).

``generate(db, scale, seed)`` fills agencies, reports, cells, report_wide and findings in bulk;
scale 1.0 is ~140,000 agencies over 2019–2025, about a million reports.
"""

from .build import generate

__all__ = ["generate"]
