"""Errors that describe bad input, as distinct from bugs.

Anything raised as a ``ReportError`` is the document's fault (empty, corrupt, encrypted, not a
report, ...): the CLI prints its one-line message and exits 2, a batch records it and goes on.
Any other exception is a bug in this package.
"""

from __future__ import annotations


class ReportError(Exception):
    """A file that cannot be read as an annual report."""

    reason = "unreadable"
    label_zh = "无法读取"

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class EmptyFile(ReportError):
    reason = "empty"
    label_zh = "空文件"


class TooLarge(ReportError):
    reason = "too_large"
    label_zh = "文件过大"


class UnsupportedFormat(ReportError):
    reason = "unsupported_format"
    label_zh = "不支持的格式"


class CorruptFile(ReportError):
    reason = "corrupt"
    label_zh = "文件已损坏"


class EncryptedFile(ReportError):
    reason = "encrypted"
    label_zh = "文件已加密"


class ScannedDocument(ReportError):
    reason = "scanned_no_text"
    label_zh = "扫描件，没有文字层"


class BadEncoding(ReportError):
    reason = "bad_encoding"
    label_zh = "无法识别的文字编码"


class NotAReport(ReportError):
    reason = "not_a_report"
    label_zh = "不是政府信息公开年度报告"


class OldFormatReport(NotAReport):
    """A pre-2019 free-form report: no standard tables to read."""

    reason = "pre_2019_format"
    label_zh = "2019 年以前的旧格式年报"


class MissingTool(ReportError):
    reason = "missing_tool"
    label_zh = "缺少转换工具"
