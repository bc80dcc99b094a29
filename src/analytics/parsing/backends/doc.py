"""DOC backend (binary Word 97-2003, and WPS Office's .wps, the same binary): LibreOffice converts it to .docx, the DOCX backend reads that.

LibreOffice runs headless in a private temporary directory with its own user profile (so that
parallel conversions and a desktop LibreOffice do not lock each other), under a time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ...errors import CorruptFile, EncryptedFile, MissingTool, UnsupportedFormat
from ..document import Document
from . import docx

TIMEOUT_SECONDS = float(os.environ.get("ANALYTICS_SOFFICE_TIMEOUT", 120))
INSTALL_HINT = "读取 .doc 文件须先安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui）"

# The OLE directory stores stream names in UTF-16. Word keeps its text in "WordDocument"; an
# encrypted .docx is an OLE container holding "EncryptedPackage"; Excel and PowerPoint files are
# OLE containers too, and LibreOffice would happily "convert" any of them (or junk) as plain text.
_STREAM = {name: name.encode("utf-16-le") for name in ("WordDocument", "EncryptedPackage", "Workbook", "Book", "PowerPoint Document")}


def find_soffice() -> str | None:
    """The LibreOffice command on PATH (``soffice``, else ``libreoffice``), or None."""
    for command in ("soffice", "libreoffice"):
        found = shutil.which(command)
        if found:
            return found
    return None


def check_container(data: bytes, name: str = "") -> None:
    """Refuse OLE files that are not Word documents before spending a LibreOffice run on them."""
    if _STREAM["EncryptedPackage"] in data:
        raise EncryptedFile("Office 文档有密码保护")
    if _STREAM["WordDocument"] in data:
        return
    if _STREAM["Workbook"] in data or _STREAM["Book"] in data:
        raise UnsupportedFormat("这是 Excel 工作簿（.xls），不是报告文档")
    if _STREAM["PowerPoint Document"] in data:
        raise UnsupportedFormat("这是 PowerPoint 文件（.ppt），不是报告文档")
    if name.lower().endswith(".wps"):
        # Microsoft Works also wrote .wps files (an OLE container without Word's stream)
        raise UnsupportedFormat("这个 .wps 文件不是 WPS 文字/Word 格式（可能是 Microsoft Works 文档）；"
                                "请另存为 .docx 或 PDF 后再导入")
    raise CorruptFile("OLE 文件中没有 WordDocument 数据流，不是可读取的 .doc")


def load(data: bytes, name: str = "") -> Document:
    check_container(data, name)
    soffice = find_soffice()
    if soffice is None:
        raise MissingTool(f"未安装 LibreOffice（soffice）；{INSTALL_HINT}")
    converted = convert_to_docx(soffice, data)
    doc = docx.load(converted, name, fmt="doc")
    doc.meta["converted_by"] = "libreoffice"
    return doc


def convert_to_docx(soffice: str, data: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    with tempfile.TemporaryDirectory(prefix="analytics-doc-") as tmp:
        work = Path(tmp)
        source = work / "input.doc"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
            "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work),
            str(source),
        ]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp,
                                start_new_session=True, env={**os.environ, "HOME": tmp})
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice forks helpers; end the whole group we started
            proc.communicate()
            raise CorruptFile(f"LibreOffice 未能在 {timeout:g} 秒内转换该 .doc") from None
        target = work / "input.docx"
        if not target.exists() or target.stat().st_size == 0:
            reason = err.decode("utf-8", "replace").strip().splitlines()
            detail = f"：{reason[-1]}" if reason else ""
            raise CorruptFile(f"LibreOffice 无法转换该 .doc（退出码 {proc.returncode}{detail}）")
        return target.read_bytes()
