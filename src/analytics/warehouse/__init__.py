"""The DuckDB warehouse: load canonical records, keep report_wide, metrics and findings current.

    from analytics.warehouse import default_db_path, connect_read, load_records
    ids = load_records(path, records, dataset="demo", agency_info={"某某局": {"level": "city"}})
    con = connect_read(path)       # read-only; never blocked by a writer

See docs/warehouse.md for the tables and store.py for how readers and the writer share the file.
"""

from __future__ import annotations

import os

from .store import connect_read, default_db_path, snapshot_token, write_session

__all__ = ["default_db_path", "connect_read", "load_records", "snapshot_token", "write_session"]


def load_records(path: str | os.PathLike | None, records, *, dataset: str = "real",
                 agency_info: dict | None = None, log_as: list[str] | None = None,
                 refused: list[tuple[str, str, str]] | None = None) -> list[int]:
    """Load reports (``Report``s or record dicts) as one batch and publish it; returns the new
    report ids.

    A record whose content is already loaded adds nothing (its id is not returned). Creates the
    warehouse when missing. ``agency_info`` maps agency names to level/kind/province/city/county/
    parent overrides. Records without agency or year raise ``BadRecord``.

    With ``log_as`` (one name per record, e.g. the uploaded file names) the batch is written to
    ``ingest_log`` like an ingest, together with ``refused`` files as ``(name, sha256, reason)``.
    """
    from ..report_record import as_report
    from .loader import load_into
    from .records import BadRecord
    from .refresh import refresh
    from .schema import ensure_schema

    records = [as_report(r) for r in records]
    with write_session(path) as con:
        ensure_schema(con)
        outcomes, touched = load_into(con, records, dataset=dataset, agency_info=agency_info)
        bad = [o for o in outcomes if o.status == "refused"]
        if bad:
            raise BadRecord(bad[0].reason)
        refresh(con, touched)
        if log_as is not None or refused:
            _log_batch(con, list(zip(log_as or [], records, outcomes)), refused or [])
    return [o.report_id for o in outcomes if o.report_id is not None]


def _log_batch(con, loaded, refused) -> None:
    """The same log lines an ingest writes, for a batch that did not come from files on disk."""
    from .ingest import FileResult, Summary, _log
    from .sqlfiles import read

    summary = Summary(batch_id=con.execute(read("load/next_batch")).fetchall()[0][0])
    summary.results = [FileResult(name, o.status, o.reason, o.report_id, report.source.sha256)
                       for name, report, o in loaded]
    summary.results += [FileResult(name, "refused", reason, sha256=sha) for name, sha, reason in refused]
    _log(con, summary)
