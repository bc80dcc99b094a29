"""The command line's own refusals: one Chinese line on stderr naming the option or the file, exit 2,
and nothing created on the way."""

from __future__ import annotations

import pytest

from analytics.cli import main


@pytest.mark.parametrize("argv, line", [
    (["ingest"], "analytics ingest: 请至少给出一个文件或文件夹，或用 --manifest 给出列有文件的清单"),
    (["ingest", "{tmp}/a.txt", "--workers", "0", "--db", "{tmp}/w.duckdb"], "analytics ingest: --workers 至少为 1"),
    (["setup", "--workers", "0", "--db", "{tmp}/w.duckdb"], "analytics setup: --workers 至少为 1"),
    (["setup", "--demo-scale", "2", "--db", "{tmp}/w.duckdb"], "analytics setup: --demo-scale 须在 (0, 1] 之内，而不是 2.0"),
    (["demo", "--out", "{tmp}/d", "--scale", "0"], "analytics demo: --scale 须在 (0, 1] 之内，而不是 0.0"),
    (["demo", "--out", "{tmp}/d", "--years", "2020-"], "analytics demo: --years：无法识别 '2020-'（应写成 2019-2025 或 2020,2023）"),
    (["export", "--db", "{tmp}/none.duckdb", "--out", "{tmp}/x"], "analytics export: 数据仓库不存在：{tmp}/none.duckdb"),
    (["export", "--db", "{tmp}/none.duckdb", "--out", "{tmp}/x", "--what", "all"],
     "analytics export: 没有名为 'all' 的表（可选：reports、cells、metrics、findings）"),
])
def test_option_errors_are_one_chinese_line(argv, line, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    out = capsys.readouterr()
    assert out.err.splitlines() == [line.replace("{tmp}", str(tmp_path))]
    assert out.out == ""
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / "d").exists()


def test_parse_of_an_empty_file_names_it(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", str(empty)]) == 2
    assert capsys.readouterr().err == f"analytics parse: {empty}: 文件为空\n"


def test_ingest_of_a_folder_says_which_documents_it_cannot_read(tmp_path, capsys):
    import shutil

    from fixtures.corpus import REAL

    folder = tmp_path / "采集"
    folder.mkdir()
    report = sorted(REAL.glob("*.html"))[0]
    shutil.copy(report, folder / report.name)
    (folder / "年报.ofd").write_bytes(b"PK\x03\x04")
    (folder / "附件一.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "附件二.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "清单.csv").write_text("path\n", encoding="utf-8")  # not a document: not mentioned
    assert main(["ingest", str(folder), "--db", str(tmp_path / "w.duckdb"), "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("载入 1 份")
    assert out[-1] == ("  未读取：文件夹中另有 3 个文件不是可读取的报告格式（.xls 2 个、.ofd 1 个）；"
                       "如其中有年报，请另存为 PDF、Word 或网页后再导入")
