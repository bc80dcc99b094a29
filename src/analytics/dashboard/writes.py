"""Writes started from a page: the wait for another writer is shown as a toast, and a write the
file system refuses arrives as a ``ReportError`` whose one-line message the page shows with
``st.error``, so nothing on the page is replaced by an exception box.

The role checks live here, in the functions the pages call (``decide``, ``accept_upload``,
``import_records``; ``require`` for any other write), not only in which buttons a page draws: a
session whose account may not do a thing gets ``accounts.Forbidden`` with a Chinese message."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import accounts
from ..errors import StorageFault, storage_line
from . import auth, db
from ..warehouse.store import wait_notice


def run(write, *args, **kwargs):
    """``write(*args, **kwargs)``; raises ``ReportError`` (the warehouse's own, or a
    ``StorageFault`` for any other file the write could not save)."""
    try:
        with wait_notice(lambda message: st.toast(message, icon="⏳")):
            return write(*args, **kwargs)
    except OSError as exc:
        line = storage_line(exc)
        if line is None:
            raise
        raise StorageFault(line) from None


def actor() -> str:
    """Who makes a step from a page: the signed-in account when the app has accounts, else 本机用户."""
    from ..warehouse.review import LOCAL_USER

    return auth.actor(LOCAL_USER)


def allowed(action: str) -> bool:
    """Whether the session's account may ``action`` (always, in local mode): for showing buttons."""
    account = auth.current()
    return account is None or account.can(action)


def require(action: str) -> None:
    """Refuse ``action`` with ``accounts.Forbidden`` (a ``ReportError`` whose Chinese message names
    the role it needs) unless the session's account may do it."""
    accounts.require(auth.current(), action)


def refuse_page(action: str) -> None:
    """End a page that only serves ``action`` for an account that may not do it, with the reason."""
    try:
        require(action)
    except accounts.Forbidden as exc:
        st.error(exc.message)
        st.stop()


def decide(fingerprint: str, status: str, note: str | None):
    """One review step on a finding by the signed-in account: its role must allow deciding and
    the finding must belong to an agency of its region (looked up through the scoped reader, so a
    fingerprint typed by hand from another county is as unknown as a made-up one)."""
    from ..warehouse.findings import decide as decide_step

    require("decide")
    if db.query("finding_in_scope", fingerprint=fingerprint).empty:
        raise accounts.Forbidden("该发现不在当前账户的地区范围内，或不存在")
    return run(decide_step, db.db_path(), fingerprint, status, note, by=actor())


def decide_many(fingerprints: list[str], status: str, note: str | None):
    """One review step on every listed finding, in one write: the 审核 role's, and only findings of
    the account's region (each looked up through the scoped reader; one outside refuses the step)."""
    from ..warehouse.review import transition

    require("decide")
    fingerprints = list(dict.fromkeys(fingerprints))
    if not fingerprints:
        raise accounts.Forbidden("列表中没有发现")
    outside = [fp for fp in fingerprints if db.query("finding_in_scope", fingerprint=fp).empty]
    if outside:
        raise accounts.Forbidden(f"有 {len(outside)} 条发现不在当前账户的地区范围内，或不存在；本次批量处理未进行")
    return run(transition, db.db_path(), status, fingerprints=fingerprints, note=note, by=actor())


def correct_cell(report_id: int, tbl: str, key: str, value, reason: str):
    """Enter one cell correction by the signed-in account (a review-store write: every session
    sees it at once; ``apply_corrections`` then applies it to the warehouse). Its role must allow
    correcting and the report must belong to an agency of its region (looked up through the
    scoped reader)."""
    from ..warehouse.corrections import record

    require("correct")
    if db.query("report_header", report_id=int(report_id)).empty:
        raise accounts.Forbidden("该报告不在当前账户的地区范围内，或不存在")
    return run(record, db.db_path(), int(report_id), tbl, key, value, reason=reason, by=actor())


def apply_corrections():
    """Apply every entered correction to the warehouse (one write; each one's agency re-checked)."""
    from ..warehouse.corrections import apply_pending

    require("correct")
    return run(apply_pending, db.db_path())


def collect_sites(targets, out, *, since=None, delay: float, timeout: float, retries: int, bar=None,
                  on_failure=None):
    """Collect report columns from agencies' websites into ``out``: importing, so the 管理 role's,
    and an account of the whole warehouse (what a site holds is placed only when it is loaded)."""
    from ..collect.fetch import Fetcher
    from ..collect.run import collect

    require("import")
    account = auth.current()
    if account is not None and not account.region.everywhere:
        raise accounts.Forbidden("网站采集需要不限地区的管理账户：采集到的报告属于哪个地区，载入时才确定")
    fetcher = Fetcher(Path(out) / ".collect", delay=delay, timeout=timeout, retries=retries)
    try:
        return run(collect, targets, out, since=since, fetcher=fetcher, on_failure=on_failure, bar=bar)
    finally:
        fetcher.close()


def ingest_manifest(manifest):
    """Load what a collection saved, by its manifest (the 管理 role's)."""
    from ..warehouse.ingest import ingest

    require("import")
    return run(ingest, [], db=db.db_path(), manifest=manifest, progress=False)


def accept_upload(name: str, data: bytes):
    """Store and parse one uploaded file: part of importing, so the 管理 role's."""
    from . import uploads

    require("import")
    return run(uploads.accept, name, data)


def import_records(records: list[dict], **kwargs):
    """Load parsed uploads into the warehouse: the 管理 role's, and for a regional account only
    reports of agencies its region holds (placed from the manifest, else from the agency's name)."""
    from ..warehouse import load_records

    require("import")
    account = auth.current()
    if account is not None and not account.region.everywhere:
        outside = [r.get("agency") or "?" for r in records
                   if not account.region.contains(*_place(r, kwargs.get("agency_info") or {}))]
        if outside:
            raise accounts.Forbidden(f"以下机构不在当前账户的地区（{account.region.label()}）内，不能导入："
                                     + "、".join(outside))
    return run(load_records, db.db_path(), records, **kwargs)


def _place(record: dict, info: dict) -> tuple:
    from ..warehouse.places import describe

    given = info.get(record.get("agency")) or {}
    placed = describe(record.get("agency") or "")
    return tuple(given.get(k) or placed.get(k) for k in ("province", "city", "county"))
