"""Ingesting the real corpus with the real parsers, twice, through the command line."""

from __future__ import annotations

import pytest

from analytics.cli import main
from analytics.warehouse import connect_read
from fixtures.corpus import documents

DOCUMENTS = documents()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    db = tmp_path_factory.mktemp("real") / "w.duckdb"
    import io
    from contextlib import redirect_stderr, redirect_stdout

    runs = []
    for workers in ("2", "1"):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["ingest", *map(str, DOCUMENTS), "--db", str(db), "--workers", workers])
        runs.append((code, out.getvalue(), err.getvalue()))
    return db, runs


def test_first_run_loads_every_report_and_refuses_the_2018_one(ingested):
    db, runs = ingested
    code, out, err = runs[0]
    assert code == 0
    assert f"载入 {len(DOCUMENTS) - 1} 份" in out and "拒绝 1 份" in out
    assert "平潭综合实验区管委会_2018_旧格式.txt" in out and "pre-2019" in out
    assert "ingest" in err  # the progress bar goes to stderr
    con = connect_read(db)
    log = con.execute("SELECT status, reason FROM ingest_log WHERE batch_id = 1 AND path LIKE '%2018%'").fetchall()
    assert log[0][0] == "refused" and "pre-2019" in log[0][1]
    assert con.execute("SELECT count(*) FROM ingest_log WHERE batch_id = 1").fetchone()[0] == len(DOCUMENTS)


def test_second_run_adds_nothing(ingested):
    db, runs = ingested
    assert runs[1][0] == 0 and "载入 0 份" in runs[1][1] and f"重复跳过 {len(DOCUMENTS) - 1} 份" in runs[1][1]
    con = connect_read(db)
    assert con.execute("SELECT count(*), count(DISTINCT source_sha256) FROM reports").fetchone() == (
        len(DOCUMENTS) - 1, len(DOCUMENTS) - 1)
    assert con.execute("SELECT count(*) FROM report_wide").fetchone()[0] == len(DOCUMENTS) - 1
    statuses = dict(con.execute("SELECT status, count(*) FROM ingest_log WHERE batch_id = 2 GROUP BY 1").fetchall())
    assert statuses == {"duplicate": len(DOCUMENTS) - 1, "refused": 1}


def test_one_current_version_per_agency_and_year(ingested):
    db, _ = ingested
    con = connect_read(db)
    assert con.execute("SELECT count(*) FROM (SELECT agency_id, year FROM reports WHERE is_current "
                       "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0] == 0
    # the 平潭 text and web page of one year: one is current, the other kept as history
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE is_current) FROM reports "
                       "WHERE agency_id = '平潭综合实验区管委会' AND year = 2021").fetchone() == (2, 1)
    assert con.execute("SELECT count(*) FROM report_metrics").fetchone()[0] == 9


def test_published_error_of_huai_an_2023_table_4(ingested):
    db, _ = ingested
    con = connect_read(db)
    rows = con.execute("SELECT subject, severity, expected, actual FROM findings WHERE rule = 'T4_GROUP_SUM' "
                       "AND agency_id = '淮安市洪泽区人民政府' AND year = 2023 ORDER BY subject").fetchall()
    assert ("review", "error", 11.0, 0.0) in rows
    assert con.execute("SELECT n_findings_error FROM report_wide WHERE agency_id = '淮安市洪泽区人民政府' "
                       "AND year = 2023").fetchone()[0] >= 1


def test_agencies_are_placed_from_their_names(ingested):
    db, _ = ingested
    con = connect_read(db)
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT agency_id, level, kind, province, city, county, division_code FROM agencies").fetchall()}
    assert got["淮安市洪泽区人民政府"] == ("county", "government", "江苏省", "淮安市", "洪泽区", "320813")
    assert got["上海市科学技术委员会"][:3] == ("province", "department", "上海市")
    assert got["上海市人民政府办公厅"][:2] == ("province", "office")
    assert got["平潭综合实验区管委会"][1] == "zone"
    assert got["高新区"][:2] == (None, "zone")
