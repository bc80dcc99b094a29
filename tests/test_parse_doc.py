"""DOC backend: LibreOffice conversion when it is installed, a clear MissingTool error when not."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from analytics.errors import CorruptFile, EncryptedFile, MissingTool, UnsupportedFormat
from analytics.parsing import load_document
from analytics.parsing.backends import doc as backend
from analytics.parsing.cells import read_cell
from fixtures.docx_builders import REVIEW, build_report, check_document

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(*streams: str) -> bytes:
    """Bytes that look like an OLE container naming these streams (enough for the checks before conversion)."""
    return OLE_MAGIC + b"\0" * 504 + b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams) + b"\0" * 512


def test_missing_libreoffice_raises_missing_tool_with_install_hint(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no soffice to be found
    with pytest.raises(MissingTool) as info:
        backend.load(_ole("Root Entry", "WordDocument", "1Table"), "report.doc")
    message = str(info.value)
    assert "LibreOffice" in message and "apt-get install libreoffice-writer-nogui" in message
    assert "\n" not in message


def test_missing_libreoffice_through_format_sniffing(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingTool):
        load_document(_ole("Root Entry", "WordDocument"), "report.doc")


def test_encrypted_office_file_is_refused_before_conversion():
    with pytest.raises(EncryptedFile):
        backend.load(_ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "secret.docx")


def test_excel_workbook_in_ole_is_unsupported():
    with pytest.raises(UnsupportedFormat) as info:
        backend.load(_ole("Root Entry", "Workbook"), "table.xls")
    assert str(info.value) == "这是 Excel 工作簿（.xls），不是报告文档"


def test_ole_file_without_word_stream_is_corrupt():
    with pytest.raises(CorruptFile):
        backend.load(OLE_MAGIC + bytes(range(256)) * 20, "junk.doc")


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory):
    """A real .doc written by LibreOffice from a .docx report with merged cells."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui")
    work = tmp_path_factory.mktemp("doc")
    data, truth = build_report("2021", seed=3)
    (work / "report.docx").write_bytes(data)
    subprocess.run(
        [backend.find_soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(work), str(work / "report.docx")],
        check=True, capture_output=True, timeout=180,
    )
    path = work / "某某市人民政府办公室_2022.doc"
    (work / "report.doc").rename(path)
    assert path.read_bytes()[:8] == OLE_MAGIC
    return path, truth


@pytest.fixture(scope="module")
def converted(doc_file):
    """The .doc read back once (each LibreOffice run takes seconds)."""
    path, truth = doc_file
    return backend.load(path.read_bytes(), path.name), truth


@pytest.mark.slow
def test_doc_is_converted_and_read_like_docx(converted):
    doc, truth = converted
    assert doc.format == "doc" and doc.meta["converted_by"] == "libreoffice"
    check_document(doc, "2021", truth)


@pytest.mark.slow
def test_converted_doc_gives_the_record(converted, doc_file):
    from analytics.parsing.assemble import assemble

    doc, truth = converted
    record = assemble(doc, source={"path": str(doc_file[0]), "sha256": "", "format": doc.format}).to_json()
    assert record["template"] == "2021"
    assert (record["agency"], record["year"]) == ("某某市人民政府办公室", 2022)
    got = record["applications"]
    wrong = [f"{k}.{c}" for k, cols in truth["applications"].items() for c, raw in cols.items()
             if got.get(k, {}).get(c, "absent") != read_cell(raw)[1]]
    wrong += [f"{g}.{c}" for (g, c), raw in zip(REVIEW, truth["review"])
              if record["review_litigation"].get(g, {}).get(c, "absent") != read_cell(raw)[1]]
    wrong += [k for k, raw in truth["active"].items() if record["active_disclosure"].get(k, "absent") != read_cell(raw)[1]]
    assert not wrong, wrong


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_conversion_time_limit_ends_libreoffice(doc_file):
    path, _truth = doc_file
    with pytest.raises(CorruptFile) as info:
        backend.convert_to_docx(backend.find_soffice(), path.read_bytes(), timeout=0.05)
    assert "LibreOffice 未能在 0.05 秒内转换该 .doc" in str(info.value)


@pytest.mark.slow
def test_wps_file_holding_a_word_binary_is_read_as_doc(doc_file):
    # WPS Office saves its .wps as a Word binary; the suffix is accepted and the content decides
    from analytics.parsing.formats import accepted_suffixes, by_suffix

    path, truth = doc_file
    assert ".wps" in accepted_suffixes() and by_suffix("年报.wps").name == "doc"
    doc = load_document(path.read_bytes(), "某某市人民政府办公室_2022.wps")
    assert doc.format == "doc" and doc.meta["converted_by"] == "libreoffice"
    check_document(doc, "2021", truth)


def test_wps_file_of_another_program_is_refused_by_name():
    with pytest.raises(UnsupportedFormat) as info:
        load_document(_ole("Root Entry", "CONTENTS", "SPELLING"), "旧文档.wps")
    assert "不是 WPS 文字/Word 格式" in str(info.value) and "另存为 .docx" in str(info.value)


def test_ofd_file_is_refused_with_what_to_do():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        z.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    with pytest.raises(UnsupportedFormat) as info:
        load_document(buf.getvalue(), "年报.ofd")
    assert "OFD 版式文件" in str(info.value) and "另存为 PDF" in str(info.value)
