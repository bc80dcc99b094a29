"""Reports parsed per second, per input format, on one core, against a plain reading of the same files.

For every format with a backend (text, markdown, html, docx, pdf) it times, in CPU seconds of
this process pinned to one core, over the files of data/real:

- backend: bytes → Document (the format backend alone),
- parse:   bytes → record (backend plus table assembly),
- plain:   a reading that does no table work at all (pdf: pdfplumber's ``extract_text`` of every
           page; text/markdown: ``str.splitlines`` plus a number regex; html: lxml
           ``text_content``; docx: python-docx paragraph and cell texts),

and prints reports per second and the ratio backend / plain. Without a DOCX in the corpus, one
is built with python-docx from a golden record.

    .venv/bin/python benchmarks/parse_speed.py [--seconds 2] [--json]
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analytics.parsing import BACKENDS, load_document, parse_bytes  # noqa: E402
from analytics.errors import ReportError  # noqa: E402
from analytics.parsing.detect import decode_text, sniff  # noqa: E402
from analytics.commands.setup import real_files  # noqa: E402

CORPUS = ROOT / "data" / "real"
GOLD = ROOT / "tests" / "gold"
FORMATS = ["text", "markdown", "html", "docx", "pdf"]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _plain_text(data: bytes) -> int:
    text, _ = decode_text(data)
    return sum(len(_NUMBER.findall(line)) for line in text.splitlines())


def _plain_html(data: bytes) -> int:
    import lxml.html

    return len(lxml.html.fromstring(data).text_content().splitlines())


def _plain_docx(data: bytes) -> int:
    import docx

    d = docx.Document(io.BytesIO(data))
    n = sum(len(p.text) for p in d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            n += sum(len(c.text) for c in row.cells)
    return n


def _plain_pdf(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return sum(len(page.extract_text() or "") for page in doc.pages)


PLAIN = {"text": _plain_text, "markdown": _plain_text, "html": _plain_html, "docx": _plain_docx, "pdf": _plain_pdf}


def docx_from_record(record: dict) -> bytes:
    """A plain Word report holding a golden record's three tables, for when the corpus has none."""
    import docx

    from analytics.fields import APPLICATION_COLS, REVIEW_COLS, REVIEW_GROUPS, label

    d = docx.Document()
    d.add_heading(f"{record['agency']}{record['year']}年政府信息公开工作年度报告", level=1)
    d.add_paragraph("一、总体情况")
    d.add_paragraph("本年度政府信息公开工作有序推进。")
    d.add_paragraph("二、主动公开政府信息情况")
    t2 = d.add_table(rows=0, cols=2)
    for key, value in record.get("active_disclosure", {}).items():
        cells = t2.add_row().cells
        cells[0].text = label("active", key).replace("·", " ")
        cells[1].text = "" if value is None else str(value)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    apps = record.get("applications", {})
    t3 = d.add_table(rows=1, cols=1 + len(APPLICATION_COLS))
    for k, col in enumerate(APPLICATION_COLS):
        t3.rows[0].cells[1 + k].text = label("applications_col", col).split("·")[-1]
    for key, row in apps.items():
        cells = t3.add_row().cells
        cells[0].text = label("applications_row", key)
        for k, col in enumerate(APPLICATION_COLS):
            value = row.get(col)
            cells[1 + k].text = "" if value is None else str(value)
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = d.add_table(rows=2, cols=15)
    review = record.get("review_litigation", {})
    for g, group in enumerate(REVIEW_GROUPS):
        for c, col in enumerate(REVIEW_COLS):
            t4.rows[0].cells[g * 5 + c].text = label("review_col", col)
            value = review.get(group, {}).get(col)
            t4.rows[1].cells[g * 5 + c].text = "" if value is None else str(value)
    d.add_paragraph("五、存在的主要问题及改进情况")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def corpus_files() -> dict[str, list[tuple[str, bytes]]]:
    by_format: dict[str, list[tuple[str, bytes]]] = {f: [] for f in FORMATS}
    for path in real_files(CORPUS):
        data = path.read_bytes()
        try:
            fmt = sniff(data, path.name)
        except Exception:
            continue
        if fmt in by_format:
            by_format[fmt].append((path.name, data))
    if not by_format["docx"]:
        gold = next((p for p in sorted(GOLD.glob("*.gold.json"))), None)
        if gold is not None:
            record = json.loads(gold.read_text(encoding="utf-8"))
            by_format["docx"].append((gold.name.replace(".gold.json", "_built.docx"), docx_from_record(record)))
    return by_format


def rate(fn, files: list[tuple[str, bytes]], seconds: float) -> float | None:
    """Reports per CPU second of ``fn`` over ``files``, repeated for at least ``seconds``."""
    try:
        for name, data in files:  # warm-up: imports, caches
            fn(data, name)
    except Exception as exc:  # a failing reader is reported, not fatal
        print(f"    ({getattr(fn, '__name__', fn)} failed: {type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    count = 0
    start = time.process_time()
    while True:
        for name, data in files:
            fn(data, name)
            count += 1
        spent = time.process_time() - start
        if spent >= seconds:
            return count / spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="CPU seconds to spend per measurement")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figures claim

    results = []
    for fmt, files in corpus_files().items():
        if not files:
            print(f"{fmt:9s} skipped: no file of this format", file=sys.stderr)
            continue
        try:
            importlib.import_module(BACKENDS[fmt])
        except ImportError as exc:
            print(f"{fmt:9s} skipped: no backend ({exc})", file=sys.stderr)
            continue
        plain = PLAIN[fmt]
        reports = []  # files the parser accepts as reports (a pre-2019 one is rejected by design)
        for name, data in files:
            try:
                parse_bytes(data, name)
                reports.append((name, data))
            except ReportError as exc:
                print(f"{fmt:9s} {name}: not timed for parse/s ({exc.reason})", file=sys.stderr)
        row = {
            "format": fmt,
            "files": [n for n, _ in files],
            "backend_per_s": rate(lambda d, n: load_document(d, n), files, args.seconds),
            "parse_per_s": rate(lambda d, n: parse_bytes(d, n), reports, args.seconds) if reports else None,
            "plain_per_s": rate(lambda d, n: plain(d), files, args.seconds),
        }
        if row["backend_per_s"] and row["plain_per_s"]:
            row["backend_vs_plain"] = row["backend_per_s"] / row["plain_per_s"]
        results.append(row)

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"{'format':9s} {'files':>5s} {'backend/s':>10s} {'parse/s':>9s} {'plain/s':>9s} {'backend÷plain':>14s}")
    for r in results:
        def f(v):
            return f"{v:.1f}" if v else "failed"

        ratio = f"{r['backend_vs_plain']:.2f}x" if r.get("backend_vs_plain") else "-"
        print(f"{r['format']:9s} {len(r['files']):5d} {f(r['backend_per_s']):>10s} {f(r['parse_per_s']):>9s} "
              f"{f(r['plain_per_s']):>9s} {ratio:>14s}")
    print("reports per CPU second on one core; plain = a reading without any table work (see --help)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
