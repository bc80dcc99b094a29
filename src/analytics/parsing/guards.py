"""Checks at the parsing boundary that turn a misleading outcome into a clear refusal.

``before_backend`` runs once the format is sniffed: a file whose name promises a binary format of
the registry (PDF, Word) but whose bytes are neither that format nor text gets a message about the
name, not a puzzling encoding error. ``after_assemble`` runs on the finished record: a damaged PDF
that MuPDF had to repair and that then lacks a whole table has lost part of its figures, and a
partial report must not enter the warehouse as if it were the whole one.
"""

from __future__ import annotations

from ..errors import CorruptFile, UnsupportedFormat
from .formats import FALLBACK, by_suffix

# A whole table gone from a repaired PDF means the file was cut short; a single unread row is left
# to the usual row warnings, as in an undamaged file.
_LOSS_CODES = {"table_missing"}


def _is_mostly_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


def before_backend(fmt: str, data: bytes, name: str) -> None:
    named = by_suffix(name)
    if named is not None and named.binary and fmt == FALLBACK.name and _is_mostly_binary(data):
        raise UnsupportedFormat(f"named as a {named.label} file, but the content is not one (damaged or mislabelled)")


def after_assemble(report) -> None:
    codes = {w.code for w in report.warnings}
    if "pdf_repaired" in codes and codes & _LOSS_CODES:
        missing = sum(1 for w in report.warnings if w.code in _LOSS_CODES)
        raise CorruptFile(f"damaged or truncated PDF: after repair {missing} of its tables are missing, "
                          "so the figures would be incomplete")
