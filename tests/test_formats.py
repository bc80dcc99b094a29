"""The format registry is the one place that says which files are reports: sniffing, the folder
walker, the upload widget and the guards all follow it, and format settings reach the backend
through the normal entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.elements.lib.file_uploader_utils import enforce_filename_restriction
from streamlit.errors import StreamlitAPIException

from analytics.cli import main
from analytics.errors import UnsupportedFormat
from analytics.parsing import BACKENDS, load_document, parse_bytes, parse_file
from analytics.parsing.backends.pdf_settings import PdfSettings
from analytics.parsing.detect import sniff
from analytics.parsing.formats import FORMATS, accepted_suffixes, by_suffix, options_from_text, resolve_options
from analytics.warehouse.ingest import collect
from fixtures.corpus import REAL

PDF = REAL / "淮安市洪泽区人民政府_2024.pdf"
HTML = REAL / "平潭综合实验区管委会_2021_网页.html"
ROOT = Path(__file__).resolve().parents[1]


def test_registry_is_consistent():
    suffixes = accepted_suffixes()
    assert len(suffixes) == len(set(suffixes)) and all(s == s.lower() and s.startswith(".") for s in suffixes)
    assert BACKENDS == {name: f.backend for name, f in FORMATS.items()}
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.suffixes
        assert (ROOT / "src" / (fmt.backend.replace(".", "/") + ".py")).is_file()
        assert all(by_suffix("报告" + s.upper()) is fmt for s in fmt.suffixes)


def test_walker_finds_every_registered_suffix_and_nothing_else(tmp_path):
    wanted = set()
    for i, suffix in enumerate(accepted_suffixes()):
        for name in (f"r{i}{suffix}", f"R{i}{suffix.upper()}"):
            (tmp_path / "sub" / name).parent.mkdir(exist_ok=True)
            (tmp_path / "sub" / name).write_text("x", encoding="utf-8")
            wanted.add(name)
    for other in ("notes.json", "table.xlsx", "scan.gif", "README"):
        (tmp_path / other).write_text("x", encoding="utf-8")
    assert {p.name for p in collect([tmp_path])} == wanted


def _upload_widget_types() -> list[str]:
    """The ``type`` list the 数据导入 page really gives its file widget (as Streamlit normalised it)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return list(at.file_uploader(key="up_files").proto.type)


def test_upload_widget_accepts_what_the_walker_accepts(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    types = _upload_widget_types()
    names = [f"报告{s}" for s in accepted_suffixes()] + [f"REPORT{s.upper()}" for s in accepted_suffixes()]
    names += ["notes.json", "table.xlsx", "scan.gif", "report.pdf.exe", "README"]
    folder = tmp_path / "walk"
    folder.mkdir()
    for name in names:
        (folder / name).write_text("x", encoding="utf-8")
    walked = {p.name for p in collect([folder])}
    assert len(walked) == 2 * len(accepted_suffixes())
    for name in names:
        try:
            enforce_filename_restriction(name, types)  # Streamlit's own server-side check
            taken = True
        except StreamlitAPIException:
            taken = False
        assert taken == (name in walked), name


@pytest.mark.parametrize("path", [PDF, HTML, REAL / "高新区_2021.txt"], ids=lambda p: p.suffix)
def test_sniff_agrees_with_the_name_for_real_reports(path):
    assert sniff(path.read_bytes(), path.name) == by_suffix(path.name).name


@pytest.mark.parametrize("fmt", [f for f in FORMATS.values() if f.binary], ids=lambda f: f.name)
def test_binary_names_with_other_content_are_refused_as_mislabelled(fmt):
    junk = bytes(range(256)) * 8
    for suffix in fmt.suffixes:
        with pytest.raises(UnsupportedFormat, match=re.escape(f"文件名表明是 {fmt.label} 文件，但内容不是")):
            parse_bytes(junk, "报告" + suffix)


def test_markup_in_a_text_or_markdown_name_stays_text():
    data = "<p>某某局2023年政府信息公开工作年度报告</p>\n".encode()
    for fmt in FORMATS.values():
        for suffix in fmt.suffixes:
            got = sniff(data, "报告" + suffix)
            assert got == (fmt.name if fmt.name_decides else "html"), suffix


def test_pdf_settings_reach_the_backend_through_parse_file():
    whole = parse_file(PDF)
    assert not {w["code"] for w in whole["warnings"]} & {"pages_capped", "table_missing"}
    capped = parse_file(PDF, options=PdfSettings(max_pages=2))
    codes = [w["code"] for w in capped["warnings"]]
    assert "pages_capped" in codes and "table_missing" in codes
    assert whole["applications"]["new_received"]["total"] is not None
    assert "new_received" not in capped.get("applications", {})
    # The same through parse_bytes, and a list of settings works like one.
    again = parse_bytes(PDF.read_bytes(), PDF.name, options=[PdfSettings(max_pages=2)])
    assert [w["code"] for w in again["warnings"]] == codes
    assert load_document(PDF.read_bytes(), PDF.name, PdfSettings(use_rulings=False)).format == "pdf"


def test_settings_of_another_format_are_ignored():
    assert parse_file(HTML, options=PdfSettings(max_pages=1)) == parse_file(HTML)


def test_an_object_no_format_takes_is_a_bug_not_bad_input():
    with pytest.raises(TypeError, match="no input format takes"):
        parse_file(PDF, options={"max_pages": 2})
    assert resolve_options(None) == {}


def test_command_line_options_reach_the_backend(capsys):
    assert main(["parse", str(PDF), "--json", "--no-cells", "--option", "pdf.max_pages=2"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "pages_capped" in {w["code"] for w in record["warnings"]}
    assert options_from_text(["pdf.use_rulings=off", "pdf.snap=1.5"]) == [PdfSettings(use_rulings=False, snap=1.5)]


@pytest.mark.parametrize("option, says", [
    ("pdf.nothing=1", "没有解析选项 'nothing'"),
    ("pdf.max_pages=0", "PDF 解析选项无效：max_pages 须为正整数"),
    ("pdf.use_rulings=maybe", "不是 bool 类型"),
    ("html.first_table=1", "HTML 没有解析选项 'first_table'"),
    ("docx.first_table=1", "应写成 格式.名称=值"),
    ("max_pages", "应写成 格式.名称=值"),
])
def test_bad_command_line_options_are_one_line_refusals(option, says, capsys):
    assert main(["parse", str(PDF), "--option", option]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and says in err
