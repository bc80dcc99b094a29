"""From a file to the canonical record: sniff the format, run its backend, assemble the tables.

    report = read_report("report.pdf")     # a typed ``Report`` (analytics.report_record)
    record = parse_file("report.pdf")      # the same as the JSON of docs/spec/report-schema.md

Each backend module in ``backends/`` exposes ``load(data: bytes, name: str) -> Document``; the
registry below maps format names to them. ``assemble`` turns any ``Document`` into the report.
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

MAX_BYTES = int(os.environ.get("ANALYTICS_MAX_BYTES", 50 * 1024 * 1024))

BACKENDS = {
    "text": "analytics.parsing.backends.text",
    "markdown": "analytics.parsing.backends.text",
    "html": "analytics.parsing.backends.html",
    "docx": "analytics.parsing.backends.docx",
    "doc": "analytics.parsing.backends.doc",
    "pdf": "analytics.parsing.backends.pdf",
}


def _over_limit(size: int) -> str:
    return f"the file is {size / 1048576:.2f} MiB, over the {MAX_BYTES / 1048576:.2f} MiB size limit"


def load_document(data: bytes, name: str = ""):
    """Sniff and run the backend: bytes to ``Document`` (no template knowledge yet)."""
    fmt = sniff(data, name)
    guards.before_backend(fmt, data, name)
    backend = importlib.import_module(BACKENDS[fmt])
    doc = backend.load(data, name)
    doc.format = doc.format or fmt
    return doc


def parse_report(data: bytes, name: str = "") -> Report:
    """Parse a document held in memory. Raises ``ReportError`` for bad input."""
    from .assemble import assemble

    if len(data) > MAX_BYTES:
        raise TooLarge(_over_limit(len(data)))
    doc = load_document(data, name)
    report = assemble(doc, source=Source(name, hashlib.sha256(data).hexdigest(), doc.format))
    guards.after_assemble(report)
    return report


def read_report(path: str | os.PathLike) -> Report:
    """Parse one file; a ``ReportError`` names the file and the reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(_over_limit(size))
        data = p.read_bytes()
        report = parse_report(data, p.name)
    except ReportError as exc:
        exc.path = exc.path or str(path)
        raise
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise ReportError(f"cannot read the file ({exc.strerror})", str(path)) from None
    return report.with_source(path=str(path))


def parse_bytes(data: bytes, name: str = "") -> dict:
    """``parse_report`` as the record's JSON (what ``analytics parse --json`` prints)."""
    return parse_report(data, name).to_json()


def parse_file(path: str | os.PathLike) -> dict:
    """``read_report`` as the record's JSON."""
    return read_report(path).to_json()
