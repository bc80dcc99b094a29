"""年度报告评估: an evaluation report of one region and year, built from the warehouse as data
(``model``: figures with their queries, ``build``) and rendered to Word (``docx_out``) and PDF
(``pdf_out``). No language model writes any of it."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError

FORMATS = (".docx", ".pdf")


def evaluate(db, region: str, year: int):
    """The evaluation of ``region`` and ``year`` from the warehouse at ``db``."""
    from ..warehouse.store import connect_read
    from .build import build

    con = connect_read(db)
    try:
        return build(con, region, year)
    finally:
        con.close()


def write(ev, out) -> Path:
    """Write the evaluation to ``out``; its suffix says the format."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ReportError(f"{out}：不支持的输出格式“{out.suffix or '（无扩展名）'}”（可选 .docx、.pdf）")
    if not out.parent.is_dir():
        raise ReportError(f"{out}：输出文件夹不存在")
    if suffix == ".docx":
        from .docx_out import write_docx

        part = out.with_name(out.name + ".part.docx")
        write_docx(ev, part)
        part.replace(out)
        return out
    from .pdf_out import write_pdf

    return write_pdf(ev, out)
