"""The evaluation as PDF: LibreOffice prints the Word document (headless, its own profile in a
temporary folder, under a time limit), which embeds the fonts it uses and keeps the text
searchable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReportError
from ..parsing.backends.doc import TIMEOUT_SECONDS, find_soffice
from .docx_out import write_docx
from .model import Evaluation


def write_pdf(ev: Evaluation, out: Path, timeout: float = TIMEOUT_SECONDS) -> Path:
    soffice = find_soffice()
    if soffice is None:
        raise ReportError("未安装 LibreOffice（soffice），无法生成 PDF；可先生成 .docx"
                          "（Debian/Ubuntu：apt-get install libreoffice-writer-nogui）")
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="analytics-eval-") as tmp:
        work = Path(tmp)
        source = write_docx(ev, work / "evaluation.docx")
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(work), str(source)]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp,
                                start_new_session=True, env={**os.environ, "HOME": tmp})
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice forks helpers; end the group we started
            proc.communicate()
            raise ReportError(f"LibreOffice 未能在 {timeout:g} 秒内生成 PDF") from None
        made = work / "evaluation.pdf"
        if not made.exists() or made.stat().st_size == 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise ReportError(f"LibreOffice 未能生成 PDF（退出码 {proc.returncode}{'：' + lines[-1] if lines else ''}）")
        part = out.with_name(out.name + ".part")
        shutil.copyfile(made, part)
        os.replace(part, out)  # a reader never sees half a PDF
    return out
