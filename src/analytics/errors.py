"""Errors that describe bad input, as distinct from bugs.

Anything raised as a ``ReportError`` is the document's fault (empty, corrupt, encrypted, not a
report, ...) or the environment's (``StorageFault``: a full disk, a read-only folder): the CLI
prints its one-line message and exits 2, a batch records it and goes on. Any other exception is
a bug in this package.
"""

from __future__ import annotations

import errno
import os


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


class StorageFault(ReportError):
    """The disk refused a write (full, read-only, no permission …): the environment's fault, not
    the document's and not a bug, so it is reported in one line like bad input."""

    reason = "storage"
    label_zh = "无法写入"

    def __str__(self) -> str:
        return self.message  # the message already names the file


# The errors a write can meet on a sound file system that is full, read-only or not ours.
WRITE_FAULTS_ZH = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "目录只读",
    errno.EACCES: "无写入权限",
    errno.EPERM: "无写入权限",
    errno.EIO: "磁盘读写错误",
    errno.EFBIG: "文件超过文件系统允许的大小",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.ENOENT: "目录不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}


def write_fault_zh(exc: BaseException) -> tuple[str, str] | None:
    """``(Chinese reason, original reason)`` for a failed write, or None when ``exc`` is not one.

    Besides ``OSError`` this reads the text of library errors that wrap one (DuckDB's IO errors
    quote the C library's ``strerror``), so the same full disk gives the same reason whichever
    layer met it first.
    """
    if isinstance(exc, OSError):
        zh = WRITE_FAULTS_ZH.get(exc.errno)
        return (zh, exc.strerror or os.strerror(exc.errno)) if zh else None
    text = str(exc).lower()
    for code, zh in WRITE_FAULTS_ZH.items():
        if code != errno.ENOENT and os.strerror(code).lower() in text:
            return zh, os.strerror(code)
    return None


def storage_line(exc: BaseException) -> str | None:
    """One line for a write the file system refused, naming the file when known; else None."""
    found = write_fault_zh(exc)
    if found is None:
        return None
    name = getattr(exc, "filename", None)
    return f"无法写入{f' {os.fsdecode(name)}' if name else ''}：{found[0]}（{found[1]}）"
