"""The parser's version: a digest of everything that decides what a file parses to.

``analytics setup`` rebuilds the bundled warehouse when this changes, and every report row keeps
the version it was parsed with. A number bumped by hand is forgotten; a digest of the sources
cannot be: any edit of a module of ``parsing/``, of the field list ``spec/fields.csv`` (and the
module reading it), of the error classes, of the record's type (``report_record.py``), or an
upgrade of the libraries the backends read files with gives a new version.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # src/analytics
# Outside parsing/, what the parser imports or reads (tests/test_parser_version.py keeps this whole).
OUTSIDE = ("fields.py", "errors.py", "report_record.py", "spec/fields.csv")
_SUFFIXES = {".py", ".csv", ".json", ".txt"}
LIBRARIES = ("PyMuPDF", "lxml")


def source_files(package: Path = _PACKAGE) -> list[Path]:
    """The files the version is a digest of, in a fixed order."""
    parsing = sorted(p for p in (package / "parsing").rglob("*")
                     if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts)
    return parsing + [package / rel for rel in OUTSIDE]


@functools.cache
def parser_version() -> str:
    h = hashlib.sha256()
    for path in source_files():
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        # Line endings do not change a parse: a checkout with CRLF is the same parser.
        h.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    for name in LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} missing\0".encode())
    return h.hexdigest()[:12]
