"""Corrections entered in the review store: every reader sees the corrected cell at once, without
a warehouse write; the next warehouse write applies each one exactly once, in the order entered,
whatever writer it is and wherever it was interrupted; a scoped reader sees only its region's."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from analytics.accounts import Region
from analytics.dashboard import queries, scope
from analytics.warehouse import connect_read, load_records, reviewdb
from analytics.warehouse.corrections import applied, apply_pending, correct, pending, record
from analytics.warehouse.schema import ensure_schema
from analytics.warehouse.store import write_session
from fixtures.records import fresh_warehouse, make_record, read_rows

AGENCY = "江苏省淮安市教育局"
OTHER = "江苏省宿迁市民政局"


@pytest.fixture
def db(tmp_path):
    path = Path(fresh_warehouse(tmp_path / "w.duckdb"))
    load_records(path, [make_record(AGENCY, 2023), make_record(OTHER, 2023)])
    return path


def report_of(db, agency):
    return read_rows(db, "SELECT report_id FROM reports WHERE agency_id = ?", [agency])[0][0]


def received(db, agency):
    return read_rows(db, "SELECT a_new_received FROM report_wide WHERE agency_id = ?", [agency])[0][0]


def shown_cell(db, rid, tbl="applications", row="new_received", col="total"):
    con = connect_read(db)
    try:
        cells = queries.CATALOGUE["report_cells"][0](con, report_id=rid)
    finally:
        con.close()
    hit = cells[(cells.tbl == tbl) & (cells.row_key == row) & (cells.col_key == col)]
    return float(hit.value.iloc[0]), hit.src.iloc[0]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_entered_correction_is_seen_at_once_without_a_warehouse_write(db):
    rid = report_of(db, AGENCY)
    before, published = received(db, AGENCY), digest(db)
    queued = record(db, rid, "表三", "new_received:total", before + 7, reason="原件第 3 页", by="王审核")
    assert digest(db) == published  # the published warehouse was not touched
    assert shown_cell(db, rid) == (before + 7, "人工更正（待应用）")
    assert received(db, AGENCY) == before and pending(db) == 1
    con = connect_read(db)
    try:
        listed = queries.CATALOGUE["report_corrections"][0](con, report_id=rid)
    finally:
        con.close()
    assert listed[["value", "state", "actor"]].values.tolist() == [[before + 7, "待应用", "王审核"]]
    assert "所有人已可见" in queued.summary_zh()


def test_the_next_write_of_any_kind_applies_the_queue_once_in_the_order_entered(db):
    rid = report_of(db, AGENCY)
    base = received(db, AGENCY)
    record(db, rid, "表三", "new_received:total", base + 1, reason="第一次", by="甲")
    record(db, rid, "表三", "new_received:total", base + 2, reason="第二次", by="乙")
    load_records(db, [make_record("江苏省淮安市财政局", 2023)])  # an unrelated load is the next write
    assert received(db, AGENCY) == base + 2
    log = read_rows(db, "SELECT previous_value, value, actor, queue_id FROM cell_corrections ORDER BY correction_id")
    assert [r[:3] for r in log] == [(base, base + 1, "甲"), (base + 1, base + 2, "乙")]
    assert [r[3] for r in log] == sorted(r[3] for r in log)
    assert pending(db) == 0 and apply_pending(db) == []
    assert shown_cell(db, rid)[1] != "人工更正（待应用）"
    load_records(db, [make_record("江苏省淮安市民政局", 2023)])
    assert read_rows(db, "SELECT count(*) FROM cell_corrections")[0][0] == 2  # never applied twice


def test_a_write_that_fails_leaves_the_queue_waiting_and_the_warehouse_unchanged(db):
    rid = report_of(db, AGENCY)
    base = received(db, AGENCY)
    record(db, rid, "表三", "new_received:total", base + 5, reason="核对", by="甲")
    published = digest(db)
    with pytest.raises(RuntimeError):
        with write_session(db) as con:
            con.execute("SELECT 1")
            raise RuntimeError("killed mid-write")
    assert digest(db) == published and pending(db) == 1
    done = apply_pending(db)
    assert [(c.previous_value, c.value) for c in done] == [(base, base + 5)]
    assert received(db, AGENCY) == base + 5 and pending(db) == 0


def test_correct_enters_and_applies_and_says_what_changed(db):
    rid = report_of(db, AGENCY)
    fixed = correct(db, rid, "表三", "new_received:total", 1, reason="核对", by="甲")
    assert fixed.queue_id and fixed.value == 1 and received(db, AGENCY) == 1
    assert "已更正报告" in fixed.summary_zh() and pending(db) == 0


def test_a_correction_another_writer_applied_is_reported_from_the_warehouse(db):
    rid = report_of(db, AGENCY)
    base = received(db, AGENCY)
    queued = record(db, rid, "表三", "new_received:total", base + 3, reason="核对", by="甲")
    load_records(db, [make_record("江苏省淮安市财政局", 2023)])  # another writer applies it first
    done = applied(db, queued)
    assert (done.queue_id, done.previous_value, done.value) == (queued.queue_id, base, base + 3)
    assert done.agency_id == AGENCY and done.findings_before == done.findings_after


def test_five_reviewers_enter_at_once_and_every_correction_is_applied_once(db):
    rid = report_of(db, AGENCY)
    cols = ["natural_person", "commercial", "research", "social_org", "legal_service"]
    errors = []

    def enter(i, col):
        try:
            record(db, rid, "表三", f"new_received:{col}", 10 + i, reason=f"第 {i} 位", by=f"审核{i}")
        except Exception as exc:  # pragma: no cover - the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=enter, args=(i, c)) for i, c in enumerate(cols)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and pending(db) == 5
    assert sorted(c.col_key for c in apply_pending(db)) == sorted(cols)
    got = dict(read_rows(db, "SELECT col_key, value FROM cells WHERE report_id = ? AND row_key = 'new_received'", [rid]))
    assert [got[c] for c in cols] == [10, 11, 12, 13, 14]


def test_a_new_warehouse_at_the_same_path_is_not_given_the_old_files_corrections(db):
    rid = report_of(db, AGENCY)
    record(db, rid, "表三", "new_received:total", 99, reason="旧文件的更正", by="甲")
    db.unlink()
    with write_session(db) as con:  # built anew, not copied: a warehouse id of its own
        ensure_schema(con)
    load_records(db, [make_record(OTHER, 2023), make_record(AGENCY, 2023)])
    assert read_rows(db, "SELECT count(*) FROM cell_corrections")[0][0] == 0 and pending(db) == 0


def test_a_queued_correction_whose_report_id_now_names_another_agency_is_not_applied(db):
    rid = report_of(db, AGENCY)
    record(db, rid, "表三", "new_received:total", 99, reason="旧文件的更正", by="甲")
    db.unlink()
    fresh_warehouse(db)  # a copy of the same empty file: the same warehouse id
    load_records(db, [make_record(OTHER, 2023), make_record(AGENCY, 2023)])
    assert report_of(db, OTHER) == rid
    assert read_rows(db, "SELECT count(*) FROM cell_corrections")[0][0] == 0
    assert pending(db) == 0  # passed over once, not waiting for ever
    assert shown_cell(db, rid)[1] != "人工更正（待应用）"


def test_a_scoped_reader_registers_only_its_regions_corrections(db):
    mine, theirs = report_of(db, AGENCY), report_of(db, OTHER)
    record(db, mine, "表三", "new_received:total", 1, reason="本地区", by="甲")
    record(db, theirs, "表三", "new_received:total", 2, reason="外地区", by="乙")
    snap = reviewdb.snapshot(db)
    cut = scope.decisions_of(snap, frozenset({AGENCY}))
    assert snap.corrections.num_rows == 2
    assert cut.corrections.column("reason").to_pylist() == ["本地区"]
    assert Region(province="江苏省", city="淮安市").key()  # the region type the reader scopes by
