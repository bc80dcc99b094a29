"""Telling formats apart by content (magic bytes, markup), not by file name alone."""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import BadEncoding, EmptyFile, UnsupportedFormat

_HTML_MARKERS = re.compile(rb"<(!doctype\s+html|html|body|table|div|p|span|tr|td|meta)[\s>/]", re.I)


def sniff(data: bytes, name: str = "") -> str:
    """Return the format name for these bytes: pdf, docx, doc, html, markdown or text."""
    if not data or not data.strip():
        raise EmptyFile("the file is empty")
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise UnsupportedFormat(f"a damaged zip archive ({exc})") from None
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("xl/") for n in names):
            raise UnsupportedFormat("a spreadsheet (.xlsx), not a report document")
        raise UnsupportedFormat("a zip archive that is not a Word document")
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    if head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        raise UnsupportedFormat("an image; scanned reports need OCR first")
    if head.startswith(b"{\\rtf"):
        raise UnsupportedFormat("an RTF file; save it as .docx")
    lower = name.lower()
    if _HTML_MARKERS.search(data[:65536]) and not lower.endswith((".txt", ".md")):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    return "text"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

    Returns ``(text, encoding)``; raises ``BadEncoding`` when none of them fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise BadEncoding("text in an unknown encoding (neither UTF-8 nor GB18030/GBK)") from None
    if not _looks_like_chinese(text):
        raise BadEncoding("text in an unknown encoding (neither UTF-8 nor GB18030/GBK)")
    return text, "gb18030"


# The commonest characters of these reports; text decoded with the wrong codec has few of them.
_COMMON = set("政府信息公开年度报告工作情况申请行政复议诉讼本一二三四五六的和在了是为有数量件")


def _looks_like_chinese(text: str) -> bool:
    sample = text[:20000]
    han = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    if han < 20:
        return han == 0 and sample.isascii()
    common = sum(1 for ch in sample if ch in _COMMON)
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return common / han > 0.05 and controls < len(sample) / 100
