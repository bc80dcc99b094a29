"""The review workflow of findings on a real warehouse: statuses with authors, the allowed steps,
the append-only decision log, bulk steps, the log export, old warehouses, and decisions that
follow a finding onto a newer version of its report or close when a corrected report removes it."""

from __future__ import annotations

import csv
import getpass
import re
from pathlib import Path

import duckdb
import pytest

from analytics.cli import main
from analytics.errors import ReportError
from analytics.warehouse import connect_read, load_records, reviewdb, write_session
from analytics.warehouse.findings import decide, list_findings, recheck
from analytics.warehouse.review import (STATUS_ZH, TRANSITIONS, ForbiddenStep, audit_log, history,
                                        step_problem, transition)
from fixtures.records import fresh_warehouse, make_record

AGENCY = "江苏省淮安市教育局"
FP = f"T4_GROUP_SUM|{AGENCY}|2023|review"
SRC = Path(__file__).resolve().parents[1] / "src" / "analytics"


def broken(path: str = "教育局2023.pdf", extra: str = "") -> dict:
    """A report whose table 4 review total is 0 while its parts add up to 3 (one T4_GROUP_SUM)."""
    r = make_record(AGENCY, 2023, source={"path": path})
    r["review_litigation"]["review"]["total"] = 0
    r["sections"]["other_matters"] += extra  # other content: another version of the same report
    return r


def current(db, fp=FP):
    con = connect_read(db)
    try:
        return con.execute("SELECT status, actor, note, seen_report_id FROM finding_decisions WHERE fingerprint = ?",
                           [fp]).fetchone()
    finally:
        con.close()


def log_rows(db):
    con = connect_read(db)
    try:
        return con.execute('SELECT log_id, fingerprint, from_status, to_status, actor, note, "at" '
                           "FROM finding_decision_log ORDER BY log_id").fetchall()
    finally:
        con.close()


def report_ids(db):
    con = connect_read(db)
    try:
        return [r[0] for r in con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()]
    finally:
        con.close()


@pytest.fixture
def db(tmp_path):
    path = fresh_warehouse(tmp_path / "w.duckdb")
    load_records(path, [broken()])
    return path


def test_every_step_has_an_author_and_the_log_keeps_them_all(db):
    steps = [("confirmed", "王审核", "核对原件"), ("notified", "王审核", "已发通知"), ("rectified", "李经办", "已更正"),
             ("returned", "王审核", "更正不完整"), ("notified", "王审核", "再次通知"), ("rectified", "李经办", "已重发"),
             ("verified", "赵科长", "复核通过")]
    before = "open"
    for status, who, note in steps:
        decide(db, FP, status, note, by=who)
        assert current(db)[:3] == (status, who, note)
        before = status
    assert before == "verified"
    got = [(fp, a, b, who, note) for _, fp, a, b, who, note, _ in log_rows(db)]
    froms = ["open"] + [s for s, _, _ in steps[:-1]]
    assert got == [(FP, a, s, who, note) for a, (s, who, note) in zip(froms, steps)]
    assert [r[1:] for r in history(db, FP)] == [(a, s, who, note, r[6]) for a, (s, who, note), r
                                                 in zip(froms, steps, log_rows(db))]
    ids = [r[0] for r in log_rows(db)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # verified is final: any further step is refused in Chinese and nothing is logged
    with pytest.raises(ForbiddenStep, match="“复核通过”是最终状态"):
        decide(db, FP, "returned", by="王审核")
    assert len(log_rows(db)) == len(steps)


def test_forbidden_steps_are_refused_with_a_chinese_reason(db):
    for target in ("notified", "rectified", "verified", "returned"):
        with pytest.raises(ForbiddenStep) as err:
            decide(db, FP, target, by="王审核")
        assert err.value.message == (f"不能把“待确认”的发现直接改为“{STATUS_ZH[target]}”："
                                     "“待确认”之后只能改为“已确认”、“已驳回”")
    decide(db, FP, "confirmed", by="王审核")
    with pytest.raises(ForbiddenStep, match="该发现已是“已确认”状态"):
        decide(db, FP, "confirmed", by="王审核")
    assert log_rows(db)[-1][2:4] == ("open", "confirmed") and len(log_rows(db)) == 1
    # every pair of the table is either allowed or has a reason
    for a in STATUS_ZH:
        for b in STATUS_ZH:
            assert (step_problem(a, b) is None) == (b in TRANSITIONS[a])
    # the CLI says the same on one line and exits 2
    assert main(["findings", "decide", FP, "--status", "verified", "--by", "王审核", "--db", db]) == 2


def test_the_log_is_never_updated_or_deleted_by_the_code():
    # Every statement the package can run names its tables in SQL text: none of them changes a
    # log row (UPDATE / DELETE / TRUNCATE / DROP / ALTER, an upsert or a replacing CREATE).
    texts = [p.read_text(encoding="utf-8") for p in SRC.rglob("*") if p.suffix in (".py", ".sql")]
    assert sum("finding_decision_log" in t for t in texts) >= 3  # schema, append, reads
    joined = "\n".join(texts)
    forbidden = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|ALTER\s+TABLE|CREATE\s+OR\s+REPLACE\s+TABLE)"
                           r"\s+(IF\s+EXISTS\s+)?finding_decision_log", re.I)
    assert not forbidden.findall(joined)
    inserts = re.findall(r"INSERT\s+(OR\s+\w+\s+)?INTO\s+finding_decision_log[^;]*", joined, re.I)
    assert inserts and not any("ON CONFLICT" in i.upper() or i.upper().startswith("INSERT OR") for i in inserts)


def test_reingest_recheck_and_schema_upgrade_keep_every_step(db, tmp_path):
    decide(db, FP, "dismissed", "印刷错误", by="王审核")
    decide(db, FP, "confirmed", "复核后确认", by="赵科长")
    steps = log_rows(db)
    load_records(db, [broken(extra="（修订版）")])
    assert main(["check", "--db", db]) == 0
    with write_session(db) as con:  # as if a newer version of the code opened the file
        con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema'")
    recheck(db)
    assert log_rows(db) == steps
    assert current(db)[:2] == ("confirmed", "赵科长")


def test_a_warehouse_with_decisions_but_no_log_gets_them_as_first_steps(db):
    # the shape of a warehouse written before the log existed, when decisions were its own table
    with write_session(db) as con:
        con.execute("CREATE TABLE finding_decisions (fingerprint VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, "
                    "note VARCHAR, decided_at TIMESTAMP NOT NULL)")
        con.execute("INSERT INTO finding_decisions VALUES (?, 'dismissed', '印刷错误', TIMESTAMP '2023-05-01 09:00:00')",
                    [FP])
        con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema'")
    assert not reviewdb.store_path(db).exists()  # nothing was decided in the review store yet
    before = duckdb.connect(db, read_only=True)
    assert [c[0] for c in before.execute("DESCRIBE finding_decisions").fetchall()] == \
        ["fingerprint", "status", "note", "decided_at"]
    before.close()
    assert [(r[0], r[7], r[8]) for r in list_findings(db, rule="T4_GROUP_SUM")] == [(FP, "dismissed", "印刷错误")]
    [(_, fp, a, b, who, note, _)] = log_rows(db)
    assert (fp, a, b, who, note) == (FP, "open", "dismissed", "未记录", "印刷错误")
    assert current(db)[:3] == ("dismissed", "未记录", "印刷错误")
    # the old commands keep working on the upgraded file, now with an author
    assert main(["findings", "confirm", FP, "--note", "复核", "--by", "赵科长", "--db", db]) == 0
    assert [r[2:5] for r in log_rows(db)] == [("open", "dismissed", "未记录"), ("dismissed", "confirmed", "赵科长")]


def test_the_cli_author_defaults_to_the_os_user(db, capsys):
    assert main(["findings", "confirm", FP, "--db", db]) == 0
    assert current(db)[1] == getpass.getuser()
    assert main(["findings", "decide", FP, "--status", "notified", "--by", "system", "--db", db]) == 2
    assert "保留给系统" in capsys.readouterr().err


def test_bulk_step_applies_to_every_match_in_one_write(tmp_path, capsys):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    other = make_record("淮安市民政局", 2023)
    other["review_litigation"]["review"]["total"] = 0
    flow = broken()
    flow["applications"]["new_received"]["natural_person"] = 90  # adds T3_FLOW and T3_COLUMN_SUM
    load_records(db, [flow, other])
    assert main(["findings", "decide", "--status", "confirmed", "--by", "张三", "--db", db]) == 2
    assert "至少需要一个筛选条件" in capsys.readouterr().err
    decide(db, f"T3_FLOW|{AGENCY}|2023|natural_person", "confirmed", by="李四")
    assert main(["findings", "decide", "--status", "confirmed", "--agency", "教育局", "--by", "张三",
                 "--note", "批量确认", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "已将 2 条发现改为“已确认”；跳过 已确认 1 条（当前状态不允许这一步）"
    rows = [r for r in log_rows(db) if r[5] == "批量确认"]
    assert sorted(r[1] for r in rows) == sorted(r[0] for r in list_findings(db, agency="教育局")
                                                if not r[0].startswith("T3_FLOW"))
    assert len({r[6] for r in rows}) == 1, "one write: one time stamp for the whole batch"
    assert all(r[4] == "张三" for r in rows)
    assert current(db, "T4_GROUP_SUM|淮安市民政局|2023|review") is None
    # a step no match may take is refused as a whole
    assert main(["findings", "decide", "--status", "verified", "--rule", "T4_GROUP_SUM", "--db", db]) == 2
    assert "都不能改为“复核通过”" in capsys.readouterr().err
    # --from narrows the bulk step to one current status
    assert main(["findings", "decide", "--status", "notified", "--from", "confirmed", "--rule", "t4_group_sum",
                 "--by", "张三", "--db", db]) == 0
    assert current(db)[0] == "notified"
    assert current(db, "T4_GROUP_SUM|淮安市民政局|2023|review") is None


def test_the_log_exports_to_csv_with_chinese_and_inert_cells(db, tmp_path, capsys):
    decide(db, FP, "confirmed", "=HYPERLINK(\"http://x\",\"点\")", by="王审核")
    decide(db, FP, "notified", "已发通知", by="@李")
    out = tmp_path / "log.csv"
    assert main(["findings", "log", "--out", str(out), "--db", db]) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["序号", "指纹", "机构", "年度", "规则", "原状态", "新状态", "操作人", "备注", "时间"]
    assert [r[1:8] for r in rows[1:]] == [[FP, AGENCY, "2023", "T4_GROUP_SUM", "待确认", "已确认", "王审核"],
                                         [FP, AGENCY, "2023", "T4_GROUP_SUM", "已确认", "已通知", "'@李"]]
    assert rows[1][8] == "'=HYPERLINK(\"http://x\",\"点\")"
    assert len(rows) - 1 == len(audit_log(db))
    capsys.readouterr()
    assert main(["findings", "log", "--db", db]) == 0
    assert list(csv.reader(capsys.readouterr().out.splitlines())) == rows


def test_fingerprints_leave_the_report_version_out(db):
    first = [r[0] for r in list_findings(db, rule="T4_GROUP_SUM")]
    load_records(db, [broken("教育局2023（修订版）.pdf", "（修订版）")])
    assert len(report_ids(db)) == 2
    assert [r[0] for r in list_findings(db, rule="T4_GROUP_SUM")] == first == [FP]


def test_a_decision_follows_its_finding_onto_a_newer_version(db):
    decide(db, FP, "confirmed", "核对原件", by="王审核")
    decide(db, FP, "notified", "已发通知", by="王审核")
    steps = log_rows(db)
    [v1] = report_ids(db)
    assert current(db)[3] == v1
    load_records(db, [broken("教育局2023（修订版）.pdf", "（修订版）")])  # republished, problem still there
    v2 = max(report_ids(db))
    assert v2 != v1
    assert current(db) == ("notified", "王审核", "已发通知", v2)
    assert log_rows(db) == steps, "following a finding onto a new version is not a step"
    assert [(r[0], r[7]) for r in list_findings(db, rule="T4_GROUP_SUM")] == [(FP, "notified")]


def test_a_corrected_republished_report_closes_its_findings(tmp_path):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    first = broken()
    first["applications"]["new_received"]["natural_person"] = 90  # T3_FLOW and T3_COLUMN_SUM too
    load_records(db, [first])
    flow = f"T3_FLOW|{AGENCY}|2023|natural_person"
    column = f"T3_COLUMN_SUM|{AGENCY}|2023|new_received"
    decide(db, FP, "confirmed", by="王审核")
    decide(db, flow, "dismissed", "口径不同", by="王审核")
    # a recheck with no new version changes nothing
    recheck(db)
    assert current(db)[0] == "confirmed"
    fixed = make_record(AGENCY, 2023, source={"path": "教育局2023更正版.pdf"})
    fixed["applications"]["new_received"]["natural_person"] = 90  # T4 corrected, table 3 not
    load_records(db, [fixed])
    new_id = max(report_ids(db))
    status, actor, note, report_id = current(db)
    assert (status, actor, report_id) == ("rectified", "system", new_id)
    assert "教育局2023更正版.pdf" in note and f"报告编号 {new_id}" in note and AGENCY in note
    assert log_rows(db)[-1][1:5] == (FP, "confirmed", "rectified", "system")
    assert current(db, flow)[0] == "dismissed", "a dismissed finding is not the agency's to rectify"
    assert current(db, column) is None, "an open finding stays open"
    assert {r[0] for r in list_findings(db)} == {flow, column}
    # the office can now verify or return the automatic closure
    decide(db, FP, "verified", "核对更正版", by="赵科长")
    assert current(db)[:2] == ("verified", "赵科长")


def test_unknown_fingerprints_and_statuses_are_refused(db):
    with pytest.raises(ReportError, match="没有指纹为"):
        transition(db, "confirmed", fingerprint="X|nobody|2020|y")
    with pytest.raises(ReportError, match="状态只能是"):
        transition(db, "open", fingerprint=FP)
