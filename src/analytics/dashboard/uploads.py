"""Uploaded report files: size and content-type checks, storage by content hash, parsing, and the
optional manifest that overrides what parsing found (read and checked by ``analytics.manifest``,
as for ``analytics ingest --manifest``).

Files are stored as ``<sha256>.<format>`` so no user-chosen name ever reaches the file system, and
they are only read by the parsers, never executed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import manifest as manifest_mod
from ..errors import ReportError, TooLarge
from ..parsing import parse_bytes
from ..parsing.detect import sniff
from ..parsing.formats import accepted_suffixes

MAX_UPLOAD_MB = int(os.environ.get("ANALYTICS_MAX_UPLOAD_MB", 50))
# The upload widget's ``type=``: every suffix the parser reads, without the dot.
ACCEPTED_TYPES = [s.lstrip(".") for s in accepted_suffixes()]
MANIFEST_COLUMNS = manifest_mod.COLUMNS


def upload_dir() -> Path:
    env = os.environ.get("ANALYTICS_UPLOADS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "var" / "uploads"


@dataclass
class Upload:
    name: str  # as the user's browser sent it: shown, never used as a path
    sha256: str
    size: int
    format: str | None = None
    stored: Path | None = None
    record: dict | None = None
    error: str | None = None
    reason_zh: str | None = None  # the kind of refusal in Chinese, e.g. 文件已加密
    manifest_row: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.record is not None


def store(data: bytes, fmt: str, folder: Path | None = None) -> Path:
    folder = folder or upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    path = folder / f"{digest}.{fmt}"
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)
    return path


def accept(name: str, data: bytes, folder: Path | None = None, max_mb: int = MAX_UPLOAD_MB) -> Upload:
    """Check, store and parse one uploaded file; bad input ends up as ``error``, never raised."""
    up = Upload(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    try:
        if len(data) > max_mb * 1024 * 1024:
            raise TooLarge(f"文件 {len(data) / 1024 / 1024:.1f} MB，超过 {max_mb} MB 上限")
        up.format = sniff(data, name)
        up.stored = store(data, up.format, folder)
        up.record = parse_bytes(data, name)
        up.record.setdefault("source", {})["path"] = str(up.stored)
    except ReportError as exc:
        up.error = exc.message
        up.reason_zh = exc.label_zh
    return up


def read_manifest(data: bytes, name: str = "清单.csv") -> dict[str, dict]:
    """Manifest rows keyed by the file's base name; raises ``BadManifest`` (a ``ReportError``)
    naming the file, line and column of the first bad cell."""
    return manifest_mod.parse_manifest(data, name).by_name()


def apply_manifest(up: Upload, manifest: dict[str, dict]) -> None:
    """Override agency and year from the manifest row naming this file, and keep the row."""
    row = manifest.get(Path(up.name).name)
    if not row or up.record is None:
        return
    up.manifest_row = row
    up.record, _ = manifest_mod.apply(up.record, row)


def agency_info(uploads: list[Upload]) -> dict[str, dict]:
    """Hierarchy facts from manifest rows, keyed by agency name, for the warehouse writer."""
    info = {}
    for up in uploads:
        if up.ok and up.manifest_row:
            row = {k: v for k, v in up.manifest_row.items() if k not in ("path", "agency", "year") and v}
            if row:
                info[up.record["agency"]] = row
    return info
