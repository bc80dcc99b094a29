"""From a file to the canonical record: sniff the format, run its backend, assemble the tables.

    report = read_report("report.pdf")     # a typed ``Report`` (analytics.report_record)
    record = parse_file("report.pdf")      # the same as the JSON of docs/spec/report-schema.md
    record = parse_file("report.pdf", options=PdfSettings(use_rulings=False))

The formats, their backends and their settings are registered in ``formats.py``; each backend
module exposes ``load(data: bytes, name: str) -> Document`` (with ``settings=`` when its format
has options). ``assemble`` turns any ``Document`` into the report.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from ..errors import ReportError, TooLarge
from ..report_record import Report, Source
from . import guards
from .detect import sniff
from .document import text_fingerprint
from .formats import FORMATS, resolve_options

MAX_BYTES = int(os.environ.get("ANALYTICS_MAX_BYTES", 50 * 1024 * 1024))

# Format name -> backend module, as the registry says.
BACKENDS = {name: fmt.backend for name, fmt in FORMATS.items()}


def _over_limit(size: int) -> str:
    return f"文件大小 {size / 1048576:.2f} MiB，超过 {MAX_BYTES / 1048576:.2f} MiB 的上限"


def load_document(data: bytes, name: str = "", options=None):
    """Sniff and run the backend: bytes to ``Document`` (no template knowledge yet).

    ``options``: one settings instance (e.g. ``PdfSettings``) or several; each reaches the backend
    of the format it belongs to, and a file of another format ignores it.
    """
    fmt = sniff(data, name)
    settings = resolve_options(options).get(fmt)
    guards.before_backend(fmt, data, name)
    backend = importlib.import_module(FORMATS[fmt].backend)
    doc = backend.load(data, name) if settings is None else backend.load(data, name, settings=settings)
    doc.format = doc.format or fmt
    return doc


def parse_report(data: bytes, name: str = "", options=None) -> Report:
    """Parse a document held in memory. Raises ``ReportError`` for bad input."""
    from .assemble import assemble

    if len(data) > MAX_BYTES:
        raise TooLarge(_over_limit(len(data)))
    doc = load_document(data, name, options)
    report = assemble(doc, source=Source(name, hashlib.sha256(data).hexdigest(), doc.format, text_fingerprint(doc)))
    guards.after_assemble(report)
    return report


def read_report(path: str | os.PathLike, options=None) -> Report:
    """Parse one file; a ``ReportError`` names the file and the reason."""
    p = Path(path)
    resolve_options(options)  # a wrong options object is the caller's bug: say so before reading
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(_over_limit(size))
        data = p.read_bytes()
        report = parse_report(data, p.name, _with_folder(options, p))
    except ReportError as exc:
        exc.path = exc.path or str(path)
        raise
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise ReportError(f"无法读取文件（{exc.strerror}）", str(path)) from None
    return report.with_source(path=str(path))


def _with_folder(options, path: Path):
    """The options, with the file's folder for a web page's pictures unless they name one."""
    from .backends.html_settings import HtmlSettings

    given = [] if options is None else list(options) if isinstance(options, (list, tuple)) else [options]
    if any(isinstance(o, HtmlSettings) for o in given):
        return options
    return given + [HtmlSettings(folder=str(path.parent))]


def parse_bytes(data: bytes, name: str = "", options=None) -> dict:
    """``parse_report`` as the record's JSON (what ``analytics parse --json`` prints)."""
    return parse_report(data, name, options).to_json()


def parse_file(path: str | os.PathLike, options=None) -> dict:
    """``read_report`` as the record's JSON."""
    return read_report(path, options).to_json()
