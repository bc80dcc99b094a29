"""Loading canonical records into an open (private, writable) warehouse connection.

Everything here runs inside one transaction per call, so a failure leaves no half-loaded report;
``store.write_session`` then decides whether the whole file is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyarrow as pa

from .. import PARSER_VERSION
from ..errors import ReportError
from . import places, wide
from .records import CELL_COLUMNS, agency_id, cell_rows, report_row
from .sqlfiles import read
from .textsig import signature

AGENCY_COLUMNS = ["agency_id", "name", "level", "kind", "province", "city", "county", "parent_id",
                  "division_code", "dataset", "parent_code", "info_source"]
REPORT_COLUMNS = ["report_id", "agency_id", "year", "template", "scope", "published", "source_path",
                  "source_sha256", "source_format", "parser_version", "dataset", "is_current", "batch_id",
                  "loaded_at", "n_cells", "n_warnings", "warnings", "sections"]
INFO_KEYS = ("level", "kind", "province", "city", "county", "parent", "division_code")


@dataclass
class Outcome:
    status: str  # loaded | loaded_with_warnings | duplicate | refused
    report_id: int | None = None
    reason: str | None = None
    sha256: str | None = None
    agency_id: str | None = None


def agency_row(name: str, dataset: str, given: dict | None, source: str) -> dict:
    """An agencies row: what a manifest or caller gave, the rest derived from the name."""
    derived = places.describe(name)
    row = {"agency_id": agency_id(name), "name": name, "dataset": dataset, "parent_id": None, **derived,
           "info_source": "name"}
    given = {k: v for k, v in (given or {}).items() if k in INFO_KEYS and v not in (None, "")}
    if given:
        row["info_source"] = source
        for key in ("level", "kind", "province", "city", "county", "division_code"):
            if key in given:
                row[key] = given[key]
        if any(k in given for k in ("province", "city", "county")) and "division_code" not in given:
            code, parent_code, level = places.code_for(row["province"], row["city"], row["county"])
            row["division_code"] = code
            row["parent_code"] = parent_code if row["kind"] == "government" else code
            row["level"] = given.get("level") or (level if row["kind"] != "township" else "township")
        if given.get("parent"):
            row["parent_id"] = agency_id(given["parent"])
            row["parent_code"] = None
    return row


def _next_ids(con, n: int) -> list[int]:
    start = con.execute(read("load/next_report_id")).fetchone()[0]
    return list(range(start, start + n))


def load_into(con, records, *, dataset: str = "real", agency_info: dict | None = None,
              batch_id: int | None = None, info_source: str = "given") -> tuple[list[Outcome], set[str]]:
    """Insert the records; return one Outcome per record and the agencies they touched.

    ``agency_info`` maps an agency name to manifest-like fields (level, kind, province, city,
    county, parent, division_code) that override what the name implies.
    """
    agency_info = agency_info or {}
    outcomes: list[Outcome | None] = [None] * len(records)
    rows, cells, sigs = [], [], []
    known = set()
    shas = []
    for i, record in enumerate(records):
        try:
            row = report_row(record, dataset=dataset, parser_version=str(record.get("parser_version") or PARSER_VERSION))
        except ReportError as exc:
            outcomes[i] = Outcome("refused", reason=exc.message)
            continue
        shas.append(row["source_sha256"])
        rows.append((i, row))
    if shas:
        known = {r[0] for r in con.execute(read("load/known_shas"), [shas]).fetchall()}
    fresh = []
    for i, row in rows:
        sha = row["source_sha256"]
        if sha in known:
            outcomes[i] = Outcome("duplicate", sha256=sha, agency_id=row["agency_id"])
            continue
        known.add(sha)
        fresh.append((i, row))
    ids = _next_ids(con, len(fresh))
    now = datetime.now()
    agencies: dict[str, dict] = {}
    for (i, row), rid in zip(fresh, ids):
        record = records[i]
        row.update(report_id=rid, is_current=True, batch_id=batch_id, loaded_at=now)
        rec_cells = cell_rows(record)
        row["n_cells"] = len(rec_cells)
        cells.extend((rid,) + c[1:] for c in rec_cells)
        sig = signature(record.get("sections"))
        if sig:
            sigs.append((rid, sig[0], sig[1]))
        given = agency_info.get(row["agency"]) or agency_info.get(row["agency_id"])
        agencies[row["agency_id"]] = agency_row(row["agency"], dataset, given, info_source)
        outcomes[i] = Outcome("loaded_with_warnings" if row["n_warnings"] else "loaded", rid,
                              reason=f"{row['n_warnings']} warnings" if row["n_warnings"] else None,
                              sha256=row["source_sha256"], agency_id=row["agency_id"])
    if not fresh:
        return outcomes, set()

    # The newest version of an (agency, year) is the last one loaded.
    latest = {}
    for _, row in fresh:
        latest[(row["agency_id"], row["year"])] = row["report_id"]
    for _, row in fresh:
        row["is_current"] = latest[(row["agency_id"], row["year"])] == row["report_id"]

    con.execute("BEGIN TRANSACTION")
    try:
        _upsert_agencies(con, list(agencies.values()))
        reports_df = pd.DataFrame([{k: row.get(k) for k in REPORT_COLUMNS} for _, row in fresh], columns=REPORT_COLUMNS)
        reports_df["published"] = pd.to_datetime(reports_df["published"]).dt.date
        pairs = pd.DataFrame(list(latest.keys()), columns=["agency_id", "year"])
        con.register("_new_pairs", pairs)
        con.execute(read("load/retire_versions"))
        con.register("_new_reports", reports_df)
        con.execute(read("load/insert_reports"))
        if cells:
            con.register("_new_cells", _cells_table(cells))
            con.execute(read("load/insert_cells"))
            con.unregister("_new_cells")
        if sigs:
            con.executemany(read("load/insert_textsig"), sigs)
        con.execute(read("load/batch_from_new"))
        wide.insert_batch(con)
        con.unregister("_new_reports")
        con.unregister("_new_pairs")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return outcomes, set(agencies)


def _cells_table(cells: list[tuple]) -> pa.Table:
    """Cell tuples as one Arrow table: columnar, typed, no per-row work in the database."""
    columns = list(zip(*cells))
    types = [pa.int64(), pa.string(), pa.string(), pa.string(), pa.float64(), pa.string(), pa.string(), pa.string()]
    return pa.table({name: pa.array(col, type=t) for name, col, t in zip(CELL_COLUMNS, columns, types)})


def _upsert_agencies(con, rows: list[dict]) -> None:
    """New agencies go in; a known one is updated unless its description came from a manifest
    and the new one only from its name."""
    if not rows:
        return
    df = pd.DataFrame(rows, columns=AGENCY_COLUMNS)
    con.register("_new_agencies", df)
    con.execute(read("load/upsert_agencies"))
    con.unregister("_new_agencies")
