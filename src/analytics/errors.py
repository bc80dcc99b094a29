"""Errors that describe bad input, as distinct from bugs.

Anything raised as a ``ReportError`` is the document's fault (empty, corrupt, encrypted, not a
report, ...): the CLI prints its one-line message and exits 2, a batch records it and goes on.
Any other exception is a bug in this package.
"""

from __future__ import annotations


class ReportError(Exception):
    """A file that cannot be read as an annual report."""

    reason = "unreadable"

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class EmptyFile(ReportError):
    reason = "empty"


class TooLarge(ReportError):
    reason = "too_large"


class UnsupportedFormat(ReportError):
    reason = "unsupported_format"


class CorruptFile(ReportError):
    reason = "corrupt"


class EncryptedFile(ReportError):
    reason = "encrypted"


class ScannedDocument(ReportError):
    reason = "scanned_no_text"


class BadEncoding(ReportError):
    reason = "bad_encoding"


class NotAReport(ReportError):
    reason = "not_a_report"


class OldFormatReport(NotAReport):
    """A pre-2019 free-form report: no standard tables to read."""

    reason = "pre_2019_format"


class MissingTool(ReportError):
    reason = "missing_tool"
