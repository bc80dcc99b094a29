"""``analytics ingest --manifest`` and the 数据导入 page read manifests with the one reader of
``analytics.manifest``: what one refuses the other refuses, with the same message."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.dashboard.safe_text import md
from streamlit.testing.v1 import AppTest

from analytics import manifest
from analytics.cli import main
from analytics.dashboard import filters, uploads

ROOT = Path(__file__).resolve().parents[1]
HEADER = ",".join(manifest.COLUMNS)
BAD = [
    ("path,agency\n报告.txt,某局\n".replace("path", "file"), "缺少 path 列"),
    (HEADER + "\n报告.txt,某局,2021,,,,galaxy,,\n", "第 2 行第 7 列（level）：层级“galaxy”无效"),
    (HEADER + "\n报告.txt,某局,2021,,,,city,government,\n报告2.txt,某局,2022,,,,city,ministry,\n",
     "第 3 行第 8 列（kind）：机构类型“ministry”无效"),
    (HEADER + "\n报告.txt,某局,二零二一,,,,,,\n", "第 2 行第 3 列（year）：年度“二零二一”无效"),
    ("agency,year,path\n某局,3021,报告.txt\n", "第 2 行第 2 列（year）：年度“3021”无效"),
    ("path,year\n报告.txt,2021\n".encode("utf-16"), "不是 UTF-8 或 GBK 编码"),
]


def _ingest_error(tmp_path, monkeypatch, capsys, data: bytes) -> str:
    (tmp_path / "清单.csv").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "--manifest", "清单.csv", "--db", str(tmp_path / "w.duckdb"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    return err.removeprefix("analytics ingest: ")


def test_upload_page_and_ingest_refuse_the_same_manifests_alike(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    for data, says in BAD:
        data = data if isinstance(data, bytes) else data.encode("utf-8")
        from_ingest = _ingest_error(tmp_path, monkeypatch, capsys, data)
        at.file_uploader(key="up_manifest").set_value(("清单.csv", data, "text/csv"))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown = [e.value for e in at.error]
        assert len(shown) == 1 and shown[0].startswith("清单无法读取：")
        # The page shows the message as literal text: Markdown-escaped, the same words.
        from_page = shown[0].removeprefix("清单无法读取：")
        assert from_page == md(from_ingest) and from_ingest.startswith("清单.csv: ") and says in from_ingest


@pytest.mark.parametrize("year", ["2021", "2021年", "２０２１", " 2021 "])
def test_upload_and_ingest_read_the_same_values(tmp_path, year):
    text = f"{HEADER}\n子目录/报告.txt,某县人民政府,{year},某省,某市,某县,county,government,某市人民政府\n"
    (tmp_path / "m.csv").write_text(text, encoding="utf-8")
    (tmp_path / "子目录").mkdir()
    from_ingest = manifest.read_manifest(tmp_path / "m.csv").lookup(tmp_path / "子目录" / "报告.txt")
    from_upload = uploads.read_manifest(text.encode("utf-8"))["报告.txt"]
    assert from_ingest["year"] == from_upload["year"] == 2021
    assert {k: v for k, v in from_ingest.items() if k != "path"} == {k: v for k, v in from_upload.items() if k != "path"}


def test_a_name_given_twice_is_not_guessed_for_an_upload():
    text = f"{HEADER}\na/报告.txt,甲局,2021,,,,,,\nb/报告.txt,乙局,2021,,,,,,\nc/其他.txt,丙局,2022,,,,,,\n"
    rows = uploads.read_manifest(text.encode("utf-8"))
    assert set(rows) == {"其他.txt"}


def test_manifest_values_are_the_dashboard_filter_values():
    assert set(manifest.LEVELS) == set(filters.LEVELS) and set(manifest.KINDS) == set(filters.KINDS)
    assert uploads.MANIFEST_COLUMNS is manifest.COLUMNS
