"""Pages that write: confirming a finding on 数据质量, uploading and loading files on 数据导入.
Each test works on its own copy of the sample warehouse."""

from __future__ import annotations


import pytest

from analytics.dashboard.safe_text import md
from analytics.warehouse import connect_read
from fixtures.app_test import open_page
from fixtures.corpus import REAL
from fixtures.gold_warehouse import build_warehouse


@pytest.fixture
def own_warehouse(tmp_path, monkeypatch):
    path = build_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("ANALYTICS_DB", str(path))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    return path


def test_confirming_a_finding_is_recorded(own_warehouse):
    at = open_page("quality")
    fp = at.selectbox(key="q_fp").value
    assert fp
    at.text_input(key="q_note").set_value("已核对原件")
    at.button(key="q_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with connect_read(own_warehouse) as con:
        rows = con.execute("SELECT status, note FROM finding_decisions WHERE fingerprint = ?", [fp]).fetchall()
    assert rows == [("confirmed", "已核对原件")]
    at.selectbox(key="q_status").set_value("confirmed").run()
    table = at.dataframe[[i for i, d in enumerate(at.dataframe) if "指纹" in d.value.columns][0]].value
    assert list(table["指纹"]) == [fp]


def test_upload_checks_parses_and_loads(own_warehouse, tmp_path):
    report = (REAL / "高新区_2021.txt").read_bytes()
    image = b"GIF89a" + bytes(64)  # a picture format the tool does not read
    manifest = "path,agency,year,province,city,county,level,kind,parent\n高新区_2021.txt,测试高新技术产业开发区管委会,2021,测试省,测试市,,city,zone,\n"
    at = open_page("upload")
    at.file_uploader(key="up_files").set_value([
        ("高新区_2021.txt", report, "text/plain"),
        ("扫描件.pdf", image, "application/pdf"),
    ])
    at.file_uploader(key="up_manifest").set_value(("清单.csv", manifest.encode(), "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    summary = at.dataframe[0].value
    assert list(summary["结果"]) == ["可导入", "拒收"]
    assert summary["机构"][0] == "测试高新技术产业开发区管委会"
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(md("扫描件.pdf") + "：") and "\n" not in errors[0]

    stored = sorted(p.name for p in (tmp_path / "uploads").iterdir())
    assert len(stored) == 1 and stored[0].endswith(".text") and "高新区" not in stored[0]

    button = [b for b in at.button if b.label.startswith("导入")][0]
    button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已导入 1 份报告" in s.value for s in at.success)
    with connect_read(own_warehouse) as con:
        row = con.execute("SELECT a.province, a.kind, r.year FROM reports r JOIN agencies a USING (agency_id) "
                          "WHERE a.name = '测试高新技术产业开发区管委会'").fetchall()
    assert row == [("测试省", "zone", 2021)]
    with connect_read(own_warehouse) as con:
        log = con.execute("SELECT path, status, reason IS NOT NULL FROM ingest_log "
                          "WHERE path LIKE 'upload:%' ORDER BY status").fetchall()
    assert [(status, has_reason) for _, status, has_reason in log] == [("loaded", False), ("refused", True)]
    assert log[1][0] == "upload:扫描件.pdf"


def test_oversized_upload_is_refused_before_parsing(tmp_path):
    from analytics.dashboard import uploads

    up = uploads.accept("大文件.txt", b"x" * (2 * 1024 * 1024 + 1), folder=tmp_path, max_mb=2)
    assert not up.ok and "超过 2 MB" in up.error
    assert list(tmp_path.iterdir()) == []
