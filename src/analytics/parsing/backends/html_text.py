"""Bytes to text for web pages, and the white-space clean-up shared by the HTML and DOCX backends."""

from __future__ import annotations

import codecs
import re

from ...errors import CorruptFile

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_CHARSET = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

# Pages that say gb2312 or gbk are in practice written with the GB18030 superset.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030"}


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in a <meta> tag or XML declaration, as a Python codec name."""
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_DECL_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(data: bytes) -> tuple[str, str]:
    """Decode a web page: BOM, then valid UTF-8, then the declared charset, then GB18030.

    Valid multi-byte UTF-8 almost never happens by chance, so it wins over a declaration (pages
    saved as UTF-8 often keep their old ``charset=gb2312``). Returns ``(text, encoding)``.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    sample = data[:4096]
    if len(sample) >= 64 and sample.count(0) > len(sample) // 3:
        # UTF-16 without a byte-order mark: markup is ASCII, so every other byte is zero.
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return data.decode(enc, "replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    for enc in dict.fromkeys([declared, "gb18030"]):
        if enc and enc != "utf-8":
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    return data.decode(declared or "utf-8", "replace"), (declared or "utf-8") + "+replace"


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def refuse_binary(text: str) -> None:
    """Raise ``CorruptFile`` when decoded "markup" is mostly control bytes (a binary file)."""
    sample = text[:65536]
    if not sample:
        return
    controls = len(_CONTROLS.findall(sample))
    bad = sample.count("\ufffd")
    if controls > max(len(sample) / 100, 16) or bad > max(len(sample) / 10, 16):
        raise CorruptFile("内容是二进制数据，不是可读取的网页")


_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def clean(text: str) -> str:
    """Collapse white space; drop the spaces that source line-wrapping leaves between Chinese
    characters ("社会公益 组织"). Spaces next to digits stay: they may separate columns."""
    if " " not in text and text.isprintable():
        return text  # the common case: nothing to collapse (isprintable is False for tabs, \n, nbsp)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    text = " ".join(text.split())  # str.split() knows every Unicode space, nbsp and 　 included
    if " " in text:
        text = _CJK_GAP.sub("", text)
    return text
