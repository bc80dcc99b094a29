"""What a fetched page or attachment holds, read by the parser itself rather than from its title.

A column holds more than reports: notices about them, interpretations (解读), last year's report
re-posted under a new title, and report pages that only summarise and attach the real file.
Titles cannot tell these apart; the content can:

* a report holds the template's tables: the parser finds table 2 or 3 (``tables.find_regions``,
  the template from table 2's header words) and reads figures from them;
* the year those tables are about is the statistics period the report states (数据统计期限自
  2023年1月1日…), else the year the parser reads from the report's own heading;
* a copy is found by a fingerprint of the tables' text (labels and figures, white space and
  cell breaks dropped), blind to the title and date a re-post changes.

Downloads are untrusted, so each is judged in a supervised child process under the ingest's
memory and time limits (``parsing/isolate.py``); a file the collector cannot judge (a scan,
which only OCR can read, or one over a limit) is kept, and ingest decides.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..errors import NotAReport, OldFormatReport, ReportError
from ..parsing import isolate

REPORT = "report"  # holds the template's tables
NO_TABLES = "no_tables"  # a notice, an interpretation, a summary: nothing to load
UNREAD = "unread"  # not judged here (a scan, an unreadable file): ingest decides

# The statistics period every report states (本报告中所列数据的统计期限自2023年1月1日起至…).
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?(?:至|到)")
_SEPARATORS = re.compile(r"[\s\x1f\x1e]+")


@dataclass(frozen=True)
class Content:
    verdict: str
    year: int | None = None
    fingerprint: str | None = None
    note: str | None = None  # why it was not judged (UNREAD)


def judge(data: bytes, name: str) -> Content:
    """Read ``data`` (a file named ``name``) with the parser and say what it holds."""
    from ..parsing import MAX_BYTES, guards, load_document
    from ..parsing.assemble import assemble
    from ..parsing.stream import build_stream
    from ..parsing.tables import find_regions
    from ..report_record import Source

    if data.startswith(b"%PDF") and not _has_text_layer(data):
        return Content(UNREAD, note="扫描件，须 OCR")
    if len(data) > MAX_BYTES:
        return Content(UNREAD, note="文件过大")
    try:
        doc = load_document(data, name)  # once: the record and the fingerprint read the same rows
        report = assemble(doc, source=Source(name, None, doc.format))
        guards.after_assemble(report)
    except OldFormatReport as exc:
        return Content(UNREAD, note=exc.message)  # a report all the same: kept, and ingest says why not loaded
    except NotAReport:
        return Content(NO_TABLES)
    except ReportError as exc:
        return Content(UNREAD, note=exc.message)
    if not (report.applications or report.active_disclosure):
        return Content(NO_TABLES)  # table words in prose (a notice quoting 第二十条), no figures
    stream = build_stream(doc)
    regions = find_regions(stream)
    spans = [r for r in (regions.active, regions.applications, regions.review) if r]
    tables = "".join(stream.text[a:b] for a, b in spans)
    fingerprint = hashlib.sha256(_SEPARATORS.sub("", tables).encode("utf-8")).hexdigest()
    stated = _PERIOD.search(_SEPARATORS.sub("", doc.text))
    return Content(REPORT, int(stated.group(1)) if stated else report.year, fingerprint)


def _has_text_layer(data: bytes) -> bool:
    from ..parsing.backends.pdf_text import import_pymupdf

    try:
        with import_pymupdf().open(stream=data, filetype="pdf") as pdf:
            return any(page.get_text().strip() for page in pdf.pages(0, min(pdf.page_count, 5)))
    except Exception:  # a damaged PDF: the parser says what is wrong with it
        return True


def judge_task(task: tuple) -> Content:
    """Worker: ``judge`` for ``(data, name)``."""
    data, name = task
    return judge(data, name)


class Judge:
    """``judge`` in one supervised child process, kept for a whole collection."""

    def __init__(self, limits: isolate.Limits | None = None):
        from ..warehouse.ingest import PRELOAD, PRELOADED_BACKENDS

        # The fork server serves this process from now on, ``collect --ingest``'s ingest too: it
        # preloads what the ingest's workers need, or they would import NumPy and PyArrow under
        # their memory cap.
        ctx = isolate.context([*PRELOADED_BACKENDS, *PRELOAD])
        self._sup = isolate.Supervisor(judge_task, workers=1, limits=limits or isolate.Limits.from_env(),
                                       ctx=ctx, settings=isolate.parser_settings(),
                                       imports=(isolate.PDF_LIBRARY,))

    def __call__(self, data: bytes, name: str) -> Content:
        answer = next(iter(self._sup.map([(data, name)])))
        if isinstance(answer, isolate.Done):
            return answer.value
        return Content(UNREAD, note=answer.reason)

    def close(self) -> None:
        self._sup.close()
