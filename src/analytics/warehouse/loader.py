"""Loading reports into an open (private, writable) warehouse connection.

Everything here runs inside one transaction per call, so a failure leaves no half-loaded report;
``store.write_session`` then decides whether the whole file is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa

from ..errors import ReportError
from ..report_record import Report, as_report
from . import wide
# agency_row and prepare live with the other record-to-rows code (no pandas, so a parse worker
# imports them cheaply); they are re-exported here for the loader's callers.
from .records import CELL_COLUMNS, CELL_SCHEMA, Prepared, agency_id, agency_row, prepare  # noqa: F401
from .sqlfiles import read
from .transaction import transaction

AGENCY_COLUMNS = ["agency_id", "name", "level", "kind", "province", "city", "county", "parent_id",
                  "division_code", "dataset", "parent_code", "info_source"]
REPORT_COLUMNS = ["report_id", "agency_id", "year", "template", "scope", "published", "source_path",
                  "source_sha256", "source_format", "parser_version", "dataset", "is_current", "batch_id",
                  "loaded_at", "n_cells", "n_warnings", "warnings", "sections", "text_sha256"]


@dataclass
class Outcome:
    status: str  # loaded | loaded_with_warnings | duplicate | refused
    report_id: int | None = None
    reason: str | None = None
    sha256: str | None = None
    agency_id: str | None = None


def _next_ids(con, n: int) -> list[int]:
    start = con.execute(read("load/next_report_id")).fetchall()[0][0]
    return list(range(start, start + n))


def load_into(con, records, *, dataset: str = "real", agency_info: dict | None = None,
              batch_id: int | None = None, info_source: str = "given") -> tuple[list[Outcome], set[str]]:
    """Insert the reports; return one Outcome per report and the agencies they touched.

    ``records`` are ``Report``s or record dicts (the spec's JSON, a gold file, one built in
    code), read with ``as_report``. ``agency_info`` maps an agency name to manifest-like fields (level, kind, province, city,
    county, parent, division_code) that override what the name implies.
    """
    agency_info = agency_info or {}
    items: list[Prepared | Outcome] = []
    for record in records:
        report = as_report(record)
        name = (report.agency or "").strip()
        given = agency_info.get(name) or agency_info.get(agency_id(name)) if name else None
        try:
            items.append(prepare(report, dataset=dataset, given=given, info_source=info_source))
        except ReportError as exc:
            items.append(Outcome("refused", reason=exc.message))
    return load_prepared(con, items, batch_id=batch_id)


def load_prepared(con, items: list, *, batch_id: int | None = None,
                  wide_rows: bool = True) -> tuple[list[Outcome], set[str]]:
    """Insert prepared records (an ``Outcome`` in the list stands for one already refused).

    With ``wide_rows=False`` their report_wide rows are left out: a caller loading a batch in
    several calls adds them all at once with ``add_wide_rows``, because the pivot costs about
    0.1 s per statement however few reports it covers.
    """
    outcomes: list[Outcome | None] = [it if isinstance(it, Outcome) else None for it in items]
    shas = [it.report["source_sha256"] for it in items if isinstance(it, Prepared)]
    known = {r[0] for r in con.execute(read("load/known_shas"), [shas]).fetchall()} if shas else set()
    texts = _known_texts(con, [it.report.get("text_sha256") for it in items if isinstance(it, Prepared)])
    fresh: list[tuple[int, Prepared]] = []
    for i, it in enumerate(items):
        if outcomes[i] is not None:
            continue
        sha = it.report["source_sha256"]
        if sha in known:
            outcomes[i] = Outcome("duplicate", sha256=sha, agency_id=it.report["agency_id"])
            continue
        text = it.report.get("text_sha256")
        first = texts.get(text) if text else None
        if first is not None and first[1:] != (it.report["agency_id"], it.report["year"]):
            # The same text in another file (other line endings, a BOM, another name) that would
            # be another agency or year: one report, counted once. Under the same agency and
            # year it is only another copy (the web page and its text) and loads as a version.
            outcomes[i] = Outcome("duplicate", sha256=sha, agency_id=it.report["agency_id"],
                                  reason=_same_text(it.report, first))
            continue
        known.add(sha)
        if text and text not in texts:
            texts[text] = (it.report["source_path"], it.report["agency_id"], it.report["year"])
        fresh.append((i, it))
    if not fresh:
        return outcomes, set()

    ids = _next_ids(con, len(fresh))
    now = datetime.now()
    agencies: dict[str, dict] = {}
    pairs: dict[tuple, None] = {}
    for (i, it), rid in zip(fresh, ids):
        row = it.report
        # Not current until load/choose_current has seen every version of its (agency, year).
        row.update(report_id=rid, batch_id=batch_id, loaded_at=now, is_current=False)
        pairs[(row["agency_id"], row["year"])] = None
        # One row per agency; what a manifest said wins over what the name implies.
        seen = agencies.get(row["agency_id"])
        if seen is None or it.agency["info_source"] != "name" or seen["info_source"] == "name":
            agencies[row["agency_id"]] = it.agency
        n = row["n_warnings"]
        outcomes[i] = Outcome("loaded_with_warnings" if n else "loaded", rid, reason=f"{n} 条警告" if n else None,
                              sha256=row["source_sha256"], agency_id=row["agency_id"])

    with transaction(con):
        _upsert_agencies(con, list(agencies.values()))
        con.register("_new_reports", _reports_table([it.report for _, it in fresh]))
        con.execute(read("load/insert_reports"))
        choose_current(con, list(pairs))
        by_id = {o.report_id: o for o in outcomes if o is not None and o.report_id is not None}
        for rid, published, later_path, later_published in con.execute(read("load/not_current")).fetchall():
            o = by_id[rid]
            note = _not_current(published, later_path, later_published)
            o.reason = f"{o.reason}; {note}" if o.reason else note
        cells = _report_cells([(it.report["report_id"], it.cells) for _, it in fresh])
        if cells.num_rows:
            con.register("_new_cells", cells)
            con.execute(read("load/insert_cells"))
            con.unregister("_new_cells")
        sigs = [(it.report["report_id"], *it.sig) for _, it in fresh if it.sig]
        if sigs:
            insert_rows(con, "report_textsig", _textsig_table(sigs))
        if wide_rows:
            con.execute(read("load/batch_from_new"))
            wide.insert_batch(con)
        con.unregister("_new_reports")
    return outcomes, set(agencies)


def choose_current(con, pairs: list[tuple[str, int]] | None) -> set[str]:
    """Decide the current version of these (agency_id, year) pairs, or of every pair (None),
    by load/choose_current; the agencies whose current version changed."""
    if pairs is not None and not pairs:
        return set()
    if pairs is None:
        con.execute("CREATE OR REPLACE TEMP TABLE _current_pairs AS SELECT DISTINCT agency_id, year FROM reports")
    else:
        con.register("_current_pairs", pa.table({"agency_id": pa.array([k[0] for k in pairs], pa.string()),
                                                 "year": pa.array([k[1] for k in pairs], pa.int64())}))
    try:
        return {r[0] for r in con.execute(read("load/choose_current")).fetchall()}
    finally:
        if pairs is None:
            con.execute("DROP TABLE IF EXISTS _current_pairs")
        else:
            con.unregister("_current_pairs")


def _known_texts(con, hashes: list) -> dict:
    """Text hash -> (path, agency_id, year) of the first loaded report with that text."""
    hashes = [h for h in hashes if h]
    if not hashes:
        return {}
    return {h: (path, agency, year) for h, path, agency, year in con.execute(read("load/known_texts"), [hashes]).fetchall()}


def _same_text(row: dict, first: tuple) -> str:
    """The log line of a file refused because a loaded report has its text."""
    path, agency, year = first
    return (f"与已载入的 {path or '（无文件名）'}（{agency} {year} 年度）正文相同（只差换行、空白或不可见字符），"
            f"是同一份报告，未再作为 {row['agency_id']} {row['year']} 年度另计一份")


# How the log line of a version that did not become current starts (the CLI looks for it).
OLD_VERSION = "已作为旧版本载入"


def _not_current(published, later_path, later_published) -> str:
    """The log line of a version loaded without becoming current: an older text."""
    return (f"{OLD_VERSION}，未成为现行版本：发布日期 {published} 早于已载入的 "
            f"{later_path or '（无文件名）'}（{later_published}），现行数字不变")


def add_wide_rows(con, report_ids: list[int]) -> None:
    """The report_wide rows of reports loaded with ``wide_rows=False``, in one statement."""
    if not report_ids:
        return
    with transaction(con):
        con.register("_new_reports", pa.table({"report_id": pa.array(report_ids, pa.int64())}))
        con.execute(read("load/batch_from_new"))
        wide.insert_batch(con)
        con.unregister("_new_reports")


def insert_rows(con, table: str, data: pa.Table) -> None:
    """Append an Arrow table to ``table`` (an internal table name), matching columns by name:
    one statement instead of one per row as with ``executemany``."""
    con.register("_rows", data)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _rows')
    finally:
        con.unregister("_rows")


def _textsig_table(sigs: list[tuple]) -> pa.Table:
    ids, sig, bands = zip(*sigs)
    u64 = pa.list_(pa.uint64())
    return pa.table({"report_id": pa.array(ids, pa.int64()), "sig": pa.array(sig, u64), "bands": pa.array(bands, u64)})


def _report_cells(pairs: list[tuple[int, pa.RecordBatch]]) -> pa.Table:
    """The cells of these reports, ``(report_id, cells batch)`` each, as one Arrow table."""
    counts = [b.num_rows for _, b in pairs]
    ids = np.repeat(np.array([rid for rid, _ in pairs], dtype=np.int64), counts)
    table = pa.Table.from_batches([b for _, b in pairs], schema=CELL_SCHEMA)
    return table.add_column(0, "report_id", pa.array(ids, pa.int64()))


_REPORT_TYPES = {"report_id": pa.int64(), "year": pa.int64(), "published": pa.date32(), "is_current": pa.bool_(),
                 "batch_id": pa.int64(), "loaded_at": pa.timestamp("us"), "n_cells": pa.int64(),
                 "n_warnings": pa.int64()}


def _text(value) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


def _columns_table(rows: list[dict], columns: list[str], types: dict) -> pa.Table:
    """Dict rows as an Arrow table: the typed columns as given, every other column as text."""
    out = {}
    for name in columns:
        values = [r.get(name) for r in rows]
        t = types.get(name)
        out[name] = pa.array(values, t) if t is not None else pa.array([_text(v) for v in values], pa.string())
    return pa.table(out)


def _reports_table(rows: list[dict]) -> pa.Table:
    return _columns_table(rows, REPORT_COLUMNS, _REPORT_TYPES)


def _upsert_agencies(con, rows: list[dict]) -> None:
    """New agencies go in; a known one is updated unless its description came from a manifest
    and the new one only from its name."""
    if not rows:
        return
    con.register("_new_agencies", _columns_table(rows, AGENCY_COLUMNS, {}))
    con.execute(read("load/upsert_agencies"))
    con.unregister("_new_agencies")
