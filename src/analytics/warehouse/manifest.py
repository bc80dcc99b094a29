"""The ingest manifest: a CSV that says, per file, what parsing cannot know or got wrong.

Columns: path, agency, year, province, city, county, level, kind, parent (only ``path`` is
required; empty cells leave the parsed or derived value alone). A relative path is taken from the
manifest's own folder.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from ..errors import ReportError
from ..report_record import Report

COLUMNS = ["path", "agency", "year", "province", "city", "county", "level", "kind", "parent"]
LEVELS = {"national", "province", "city", "county", "township"}
KINDS = {"government", "office", "department", "zone", "township"}


class BadManifest(ReportError):
    reason = "bad_manifest"


class Manifest:
    def __init__(self, rows: dict[str, dict], names: dict[str, list[dict]]):
        self._rows = rows
        self._names = names

    def __len__(self) -> int:
        return len(self._rows)

    def paths(self) -> list[str]:
        return list(self._rows)

    def lookup(self, path: str | os.PathLike) -> dict | None:
        """The row for a file: by its full path, else by its file name when that is unique."""
        row = self._rows.get(_key(path))
        if row is None:
            same = self._names.get(Path(path).name, [])
            row = same[0] if len(same) == 1 else None
        return row


def _key(path) -> str:
    return str(Path(path).resolve())


def read_manifest(path: str | os.PathLike) -> Manifest:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise BadManifest(f"cannot read the manifest ({exc.strerror})", str(p)) from None
    except UnicodeDecodeError:
        raise BadManifest("the manifest is not UTF-8 text", str(p)) from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
        raise BadManifest("the manifest has no 'path' column", str(p))
    rows, names = {}, {}
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not row.get("path"):
            continue
        if row.get("year"):
            try:
                row["year"] = int(row["year"])
            except ValueError:
                raise BadManifest(f"line {n}: year {row['year']!r} is not a number", str(p)) from None
        if row.get("level") and row["level"] not in LEVELS:
            raise BadManifest(f"line {n}: level must be one of {', '.join(sorted(LEVELS))}", str(p))
        if row.get("kind") and row["kind"] not in KINDS:
            raise BadManifest(f"line {n}: kind must be one of {', '.join(sorted(KINDS))}", str(p))
        file_path = Path(row["path"])
        if not file_path.is_absolute():
            file_path = p.parent / file_path
        row["path"] = str(file_path)
        rows[_key(file_path)] = row
        names.setdefault(file_path.name, []).append(row)
    return Manifest(rows, names)


def apply(report: Report, row: dict | None) -> tuple[Report, dict | None]:
    """The report with the manifest's agency and year, and the agency description it gives."""
    if not row:
        return report, None
    info = {k: row[k] for k in ("province", "city", "county", "level", "kind", "parent") if row.get(k)}
    return report.overridden(agency=row.get("agency"), year=row.get("year")), info or None
