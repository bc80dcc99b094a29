"""Telling formats apart by content (magic bytes, markup), not by file name alone."""

from __future__ import annotations

from ..errors import BadEncoding, EmptyFile, UnsupportedFormat
from .formats import FALLBACK, FORMATS, REFUSED, by_suffix


def sniff(data: bytes, name: str = "") -> str:
    """Return the name of the registered format of these bytes (see ``formats.FORMATS``).

    A signature (``%PDF-``, a Word zip, an OLE file) decides whatever the name says; then known
    formats that cannot be reports are refused; then a text or Markdown name wins over markup
    found inside, and markup (HTML tags) decides; anything else is read as text.
    """
    if not data or not data.strip():
        raise EmptyFile("the file is empty")
    for fmt in FORMATS.values():
        if fmt.magic is not None and fmt.magic(data):
            return fmt.name
    head = data[:2048]
    for test, why in REFUSED:
        if test(head):
            raise UnsupportedFormat(why)
    named = by_suffix(name)
    if named is not None and named.name_decides:
        return named.name
    for fmt in FORMATS.values():
        if fmt.markup is not None and fmt.markup(data):
            return fmt.name
    return FALLBACK.name


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
