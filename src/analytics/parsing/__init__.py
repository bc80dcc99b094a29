"""From a file to the canonical record: sniff the format, run its backend, assemble the tables.

    record = parse_file("report.pdf")

Each backend module in ``backends/`` exposes ``load(data: bytes, name: str) -> Document``; the
registry below maps format names to them. ``assemble`` turns any ``Document`` into the record.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from ..errors import ReportError, TooLarge
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


def parse_bytes(data: bytes, name: str = "") -> dict:
    """Parse a document held in memory. Raises ``ReportError`` for bad input."""
    from .assemble import assemble

    if len(data) > MAX_BYTES:
        raise TooLarge(_over_limit(len(data)))
    doc = load_document(data, name)
    source = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "format": doc.format}
    record = assemble(doc, source=source)
    guards.after_assemble(record)
    return record


def parse_file(path: str | os.PathLike) -> dict:
    """Parse one file into the canonical record; a ``ReportError`` names the file and the reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(_over_limit(size))
        data = p.read_bytes()
        record = parse_bytes(data, p.name)
    except ReportError as exc:
        exc.path = exc.path or str(path)
        raise
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise ReportError(f"cannot read the file ({exc.strerror})", str(path)) from None
    record["source"]["path"] = str(path)
    return record
