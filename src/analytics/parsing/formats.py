"""Every input format the parser reads, in one registry: its suffixes, how its bytes are recognised,
the backend that reads it and the settings that backend takes.

Sniffing (``detect.sniff``), the folder walker of ingest, the upload widget and the boundary
guards all ask this module, so a format added here is accepted everywhere at once.

A backend whose format has ``options`` takes an instance of that dataclass as ``settings=``;
``parse_file(path, options=PdfSettings(...))`` routes it there by its type.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from ..errors import ReportError, UnsupportedFormat
from .backends.html_settings import HtmlSettings
from .backends.pdf_settings import PdfSettings


@dataclass(frozen=True)
class Format:
    name: str  # as records carry it in ``source.format`` and uploads in their stored suffix
    label: str  # how a message names the format
    suffixes: tuple[str, ...]  # lower case, with the dot
    backend: str  # module exposing ``load(data, name[, settings=...]) -> Document``
    # A content signature that decides the format whatever the file is called.
    magic: Callable[[bytes], bool] | None = None
    # Content that suggests the format but yields to a name that decides (markup in a .txt file).
    markup: Callable[[bytes], bool] | None = None
    # A file so named is this format even when its content looks like markup (text, Markdown).
    name_decides: bool = False
    # A file so named that holds no such bytes is refused as mislabelled (see guards.py).
    binary: bool = False
    options: type | None = None  # the settings dataclass of the backend, if it takes any
    # Cheap enough to import in ingest's fork server ahead of the batch (PyMuPDF is not).
    preload: bool = True


def _is_pdf(data: bytes) -> bool:
    # Some producers put a few bytes (a BOM, an HTTP header remnant) before the marker.
    return data[:2048].lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]


def _is_docx(data: bytes) -> bool:
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as exc:
        raise UnsupportedFormat(f"zip 压缩包已损坏（{exc}）") from None
    if "word/document.xml" in names:
        return True
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat("这是电子表格（.xlsx），不是报告文档")
    if "OFD.xml" in names:
        raise UnsupportedFormat("这是 OFD 版式文件，暂不能读取；请用 OFD 阅读器另存为 PDF 后再导入")
    raise UnsupportedFormat("这是 zip 压缩包，但不是 Word 文档")


def _is_ole(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_HTML_MARKERS = re.compile(rb"<(!doctype\s+html|html|body|table|div|p|span|tr|td|meta)[\s>/]", re.I)


def _has_html_markup(data: bytes) -> bool:
    return _HTML_MARKERS.search(data[:65536]) is not None


PDF = Format("pdf", "PDF", (".pdf",), "analytics.parsing.backends.pdf", magic=_is_pdf, binary=True,
             options=PdfSettings, preload=False)
DOCX = Format("docx", "Word (.docx)", (".docx",), "analytics.parsing.backends.docx", magic=_is_docx, binary=True)
# WPS Office's own .wps is a Word binary (an OLE container with a WordDocument stream): read as .doc.
DOC = Format("doc", "Word (.doc/.wps)", (".doc", ".wps"), "analytics.parsing.backends.doc", magic=_is_ole, binary=True)
HTML = Format("html", "HTML", (".html", ".htm", ".shtml", ".xhtml"), "analytics.parsing.backends.html",
              markup=_has_html_markup, options=HtmlSettings)
MARKDOWN = Format("markdown", "Markdown", (".md", ".markdown"), "analytics.parsing.backends.text", name_decides=True)
TEXT = Format("text", "文本", (".txt",), "analytics.parsing.backends.text", name_decides=True)


def _is_image(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*")


# A page scan or a table published as a picture: read by OCR (Tesseract's Chinese model).
IMAGE = Format("image", "图片（扫描件）", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), "analytics.parsing.backends.image",
               magic=_is_image, binary=True, options=PdfSettings, preload=False)

# Sniffing tries the signatures in this order; text is what is left.
FORMATS: dict[str, Format] = {f.name: f for f in (PDF, DOCX, DOC, IMAGE, HTML, MARKDOWN, TEXT)}
FALLBACK = TEXT

# Formats recognised only to be refused with a useful reason, checked after the signatures above.
REFUSED: tuple[tuple[Callable[[bytes], bool], str], ...] = (
    (lambda h: h[:4] == b"GIF8", "这是 GIF 动图；扫描的报告请存为 PNG、JPEG 或 TIFF"),
    (lambda h: h.startswith(b"{\\rtf"), "这是 RTF 文件；请另存为 .docx 后再读取"),
)


def suffix_of(name: str) -> str:
    """The lower-case last suffix of a file name, '' when there is none (".md" alone counts)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot >= 0 else ""


def by_suffix(name: str) -> Format | None:
    """The format a file name announces, or None."""
    suffix = suffix_of(name)
    return _BY_SUFFIX.get(suffix) if suffix else None


_BY_SUFFIX = {s: f for f in FORMATS.values() for s in f.suffixes}


def accepted_suffixes() -> tuple[str, ...]:
    """Every suffix of a readable report, in registry order: what folders are searched for."""
    return tuple(_BY_SUFFIX)


class BadOptions(ReportError):
    reason = "bad_options"
    label_zh = "解析选项无效"


def resolve_options(options) -> dict[str, object]:
    """Parsing options by format name, from one settings instance or several.

    Each instance goes to the formats whose ``options`` is its type; a file of another format
    ignores it. An object no format takes is a programming error, hence ``TypeError``.
    """
    if options is None:
        return {}
    given = [options] if not isinstance(options, (list, tuple)) else list(options)
    out: dict[str, object] = {}
    for item in given:
        takers = [f.name for f in FORMATS.values() if f.options is not None and isinstance(item, f.options)]
        if not takers:
            raise TypeError(f"no input format takes options of type {type(item).__name__}")
        for name in takers:
            out[name] = item
    return out


def options_from_text(pairs: Iterable[str]) -> list[object]:
    """Settings from ``format.field=value`` strings (the command line's ``--option``).

    Values are converted to the field's type; a wrong name or value is bad input (``BadOptions``)
    with a Chinese message, since it comes from the user.
    """
    chosen: dict[str, dict[str, object]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        fmt_name, dot, field_name = key.strip().partition(".")
        fmt = FORMATS.get(fmt_name)
        if not sep or not dot or fmt is None or fmt.options is None:
            takers = ", ".join(f.name for f in FORMATS.values() if f.options is not None)
            raise BadOptions(f"解析选项 {pair!r} 应写成 格式.名称=值（可设置选项的格式：{takers}）")
        types = {f.name: f.type for f in fields(fmt.options)}
        if field_name not in types:
            raise BadOptions(f"{fmt.label} 没有解析选项 {field_name!r}（可用：{', '.join(types)}）")
        chosen.setdefault(fmt.name, {})[field_name] = _convert(value.strip(), types[field_name], pair)
    out = []
    for name, values in chosen.items():
        try:
            out.append(FORMATS[name].options(**values))
        except ValueError as exc:
            raise BadOptions(f"{FORMATS[name].label} 解析选项无效：{exc}") from None
    return out


def _convert(value: str, kind, pair: str):
    kind = kind if isinstance(kind, str) else kind.__name__  # annotations are strings here
    try:
        if kind == "bool":
            truth = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}
            return truth[value.lower()]
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except (KeyError, ValueError):
        raise BadOptions(f"解析选项 {pair!r} 的值不是 {kind} 类型") from None
    return value
