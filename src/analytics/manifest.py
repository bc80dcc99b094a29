"""The manifest: a CSV that says, per file, what parsing cannot know or got wrong.

Columns: path, agency, year, province, city, county, level, kind, parent, published (only ``path`` is
required; empty cells leave the parsed or derived value alone; other columns are ignored). A
relative path is taken from the manifest's own folder.

This one reader serves ``analytics ingest --manifest`` and the 数据导入 page alike, so both
accept and refuse the same values with the same message, which names the file, line and column.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from datetime import date
from pathlib import Path

from .errors import ReportError
from .report_record import Report, as_report

COLUMNS = ["path", "agency", "year", "province", "city", "county", "level", "kind", "parent", "published"]
LEVELS = ("national", "province", "city", "county", "township")
KINDS = ("government", "office", "department", "zone", "township")
FIRST_YEAR = 2008  # the disclosure regulation took effect in 2008: no annual report is older


class BadManifest(ReportError):
    reason = "bad_manifest"
    label_zh = "清单有误"


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
        return row if row is not None else self.lookup_name(Path(path).name)

    def lookup_name(self, name: str) -> dict | None:
        """The row for a file known only by its name (an upload), when one row alone names it."""
        same = self._names.get(name, [])
        return same[0] if len(same) == 1 else None

    def by_name(self) -> dict[str, dict]:
        """Rows by file name, for names that one row alone gives."""
        return {name: rows[0] for name, rows in self._names.items() if len(rows) == 1}


def _key(path) -> str:
    return str(Path(path).resolve())


def read_manifest(path: str | os.PathLike) -> Manifest:
    """Read a manifest file; relative paths in it are taken from its folder."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise BadManifest(f"无法读取清单文件（{exc.strerror}）", str(p)) from None
    return parse_manifest(data, str(p), folder=p.parent)


def parse_manifest(data: bytes, source: str, folder: Path | None = None) -> Manifest:
    """Check and read a manifest held in memory; ``source`` names it in messages.

    With ``folder``, relative paths are resolved from it; without (an upload), rows are only
    found by file name. Raises ``BadManifest`` at the first bad cell.
    """
    text = _decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
    if "path" not in header:
        raise BadManifest("缺少 path 列（第 1 行应为列名，可用列：" + ", ".join(COLUMNS) + "）", source)
    rows, names = {}, {}
    for cells in reader:
        line = reader.line_num
        row = {}
        for col, name in enumerate(header):
            if name in COLUMNS:
                value = cells[col].strip() if col < len(cells) else ""
                row[name] = _check(name, value, source, line, col + 1)
        if not row.get("path"):
            continue
        file_path = Path(row["path"])
        if folder is not None and not file_path.is_absolute():
            file_path = folder / file_path
        row["path"] = str(file_path)
        rows[_key(file_path) if folder is not None else row["path"]] = row
        names.setdefault(file_path.name, []).append(row)
    return Manifest(rows, names)


def _decode(data: bytes, source: str) -> str:
    # Excel on a Chinese system saves CSV as GB18030/GBK unless told to write UTF-8.
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise BadManifest("清单不是 UTF-8 或 GBK 编码的 CSV 文本", source)


def _check(column: str, value: str, source: str, line: int, col: int):
    """The cell's value as the warehouse wants it, or ``BadManifest`` naming where it is wrong."""
    if not value:
        return value
    where = f"第 {line} 行第 {col} 列（{column}）"
    if column == "year":
        digits = unicodedata.normalize("NFKC", value).removesuffix("年").strip()
        last = date.today().year
        if not digits.isdigit() or not FIRST_YEAR <= int(digits) <= last:
            raise BadManifest(f"{where}：年度“{value}”无效，应为 {FIRST_YEAR} 至 {last} 之间的年份", source)
        return int(digits)
    if column == "published":
        try:
            day = date.fromisoformat(unicodedata.normalize("NFKC", value))
        except ValueError:
            day = None
        if day is None or not date(FIRST_YEAR, 1, 1) <= day <= date.today():
            raise BadManifest(f"{where}：发布日期“{value}”无效，应为 YYYY-MM-DD 格式且不晚于今天", source)
        return day.isoformat()
    if column == "level" and value not in LEVELS:
        raise BadManifest(f"{where}：层级“{value}”无效，应为 {'、'.join(LEVELS)} 之一", source)
    if column == "kind" and value not in KINDS:
        raise BadManifest(f"{where}：机构类型“{value}”无效，应为 {'、'.join(KINDS)} 之一", source)
    return value


def apply(record: Report | dict, row: dict | None) -> tuple[Report | dict, dict | None]:
    """The report with the manifest's agency, year and publication date (``Report.overridden``), and the agency
    description the row gives. A record dict (the upload page keeps the JSON) gives a new dict;
    neither is changed in place."""
    if not row:
        return record, None
    info = {k: row[k] for k in ("province", "city", "county", "level", "kind", "parent") if row.get(k)}
    report = as_report(record).overridden(agency=row.get("agency"), year=row.get("year"),
                                          published=row.get("published"))
    return (report if isinstance(record, Report) else report.to_json()), info or None
