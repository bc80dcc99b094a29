"""Manifests, bad files in a batch, new versions of a report, and the ingest log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.warehouse import connect_read
from analytics.warehouse.ingest import ingest
from analytics.manifest import BadManifest, read_manifest
from fixtures.corpus import REAL
from fixtures.records import fresh_warehouse



@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    shutil.copy(REAL / "高新区_2021.txt", docs / "高新区_2021.txt")
    shutil.copy(REAL / "淮安市洪泽区人民政府_2024.pdf", docs / "sub" / "b.pdf")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    (docs / "notes.json").write_text("{}")  # not a report suffix: folders skip it
    return docs


def test_manifest_overrides_agency_year_and_hierarchy(tmp_path, folder):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    (tmp_path / "m.csv").write_text(
        "path,agency,year,province,city,county,level,kind,parent\n"
        "docs/高新区_2021.txt,云溪县高新区管委会,2021,,,,county,zone,云溪县人民政府\n"
        f"{folder / 'sub' / 'b.pdf'},,,江苏省,淮安市,洪泽区,,,\n", encoding="utf-8")
    summary = ingest([folder], db=db, manifest=tmp_path / "m.csv", progress=False)
    by_name = {Path(r.path).name: r for r in summary.results}
    assert set(by_name) == {"高新区_2021.txt", "b.pdf", "empty.txt", "broken.pdf"}
    assert by_name["高新区_2021.txt"].status.startswith("loaded") and by_name["b.pdf"].status.startswith("loaded")
    assert by_name["empty.txt"].status == "refused" and "empty" in by_name["empty.txt"].reason
    assert by_name["broken.pdf"].status == "refused" and "\n" not in by_name["broken.pdf"].reason
    con = connect_read(db)
    agencies = {r[0]: r[1:] for r in con.execute(
        "SELECT agency_id, level, kind, parent_id, info_source, province, county FROM agencies").fetchall()}
    assert agencies["云溪县高新区管委会"][:4] == ("county", "zone", "云溪县人民政府", "manifest")
    assert agencies["淮安市洪泽区人民政府"][4:] == ("江苏省", "洪泽区")
    assert con.execute("SELECT year FROM reports WHERE agency_id = '云溪县高新区管委会'").fetchone() == (2021,)


def test_manifest_alone_names_the_files(tmp_path, folder):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    manifest = folder / "list.csv"
    manifest.write_text("path,agency,year\n高新区_2021.txt,某区管委会,2021\n", encoding="utf-8")
    assert main(["ingest", "--manifest", str(manifest), "--db", db, "--quiet"]) == 0
    con = connect_read(db)
    assert con.execute("SELECT agency_id, year FROM reports").fetchall() == [("某区管委会", 2021)]


def test_bad_manifests_are_refused_with_one_line(tmp_path, capsys):
    bad = tmp_path / "m.csv"
    bad.write_text("file,agency\nx,y\n", encoding="utf-8")
    with pytest.raises(BadManifest, match="缺少 path 列") as exc:
        read_manifest(bad)
    assert exc.value.path == str(bad)
    bad.write_text("path,level\nx.txt,galaxy\n", encoding="utf-8")
    assert main(["ingest", "--manifest", str(bad), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{bad}: 第 2 行第 2 列（level）：层级“galaxy”无效" in err


@pytest.mark.parametrize("cells, where, what", [
    ("a.txt,,2021年,,,,,,", "第 2 行", None),
    ("a.txt,,1999,,,,,,", "第 2 行第 3 列（year）", "年度“1999”无效"),
    ("a.txt,,二〇二一,,,,,,", "第 2 行第 3 列（year）", "年度“二〇二一”无效"),
    ("a.txt,,,,,,city,bureau,", "第 2 行第 8 列（kind）", "机构类型“bureau”无效"),
    ("a.txt,,,,,,County,,", "第 2 行第 7 列（level）", "层级“County”无效"),
])
def test_manifest_cells_are_checked_where_they_stand(tmp_path, cells, where, what):
    m = tmp_path / "m.csv"
    m.write_text("path,agency,year,province,city,county,level,kind,parent\n" + cells + "\n", encoding="utf-8")
    if what is None:
        assert read_manifest(m).lookup(tmp_path / "a.txt")["year"] == 2021
        return
    with pytest.raises(BadManifest) as exc:
        read_manifest(m)
    assert exc.value.message.startswith(f"{where}：{what}")


def test_manifest_saved_by_excel_in_gbk_is_read(tmp_path):
    m = tmp_path / "清单.csv"
    m.write_bytes("path,agency,year,level\n报告.txt,某县人民政府,2022,county\n".encode("gbk"))
    row = read_manifest(m).lookup(tmp_path / "报告.txt")
    assert (row["agency"], row["year"], row["level"]) == ("某县人民政府", 2022, "county")


def test_a_new_file_for_the_same_report_becomes_current(tmp_path, folder):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    original = folder / "高新区_2021.txt"
    ingest([original], db=db, progress=False)
    changed = folder / "高新区_2021_更正.txt"
    changed.write_bytes(original.read_bytes() + "\n（更正版）\n".encode())
    summary = ingest([changed, original], db=db, progress=False)
    statuses = {Path(r.path).name: r.status for r in summary.results}
    assert statuses["高新区_2021.txt"] == "duplicate" and statuses["高新区_2021_更正.txt"].startswith("loaded")
    con = connect_read(db)
    versions = con.execute("SELECT source_path, is_current FROM reports ORDER BY report_id").fetchall()
    assert [(Path(p).name, c) for p, c in versions] == [("高新区_2021.txt", False), ("高新区_2021_更正.txt", True)]
    wide = con.execute("SELECT report_id, is_current FROM report_wide ORDER BY report_id").fetchall()
    assert [c for _, c in wide] == [False, True]
    assert con.execute("SELECT count(*) FROM report_metrics").fetchone()[0] == 1


def test_missing_paths_are_logged_not_fatal(tmp_path, folder):
    db = fresh_warehouse(tmp_path / "w.duckdb")
    summary = ingest([tmp_path / "nowhere.pdf", folder / "高新区_2021.txt"], db=db, progress=False)
    assert [(r.status, r.reason) for r in summary.results][0] == ("refused", "no such file")
    assert summary.count("loaded") + summary.count("loaded_with_warnings") == 1
