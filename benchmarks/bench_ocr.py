"""OCR accuracy and speed on the OCR test set (tests/fixtures/ocr_images.py): the real PDFs of
data/real rendered at 150/200/300 dpi, plain and distorted (skew, blur, JPEG noise, red seal),
wrapped as image-only PDFs and parsed; each record is compared with its gold record.

Prints per case: gold cells compared, wrong, wrong but not marked low-confidence, pages per second
on one core, and the text-layer path's pages per second beside it (the ratio).

    PYTHONPATH=src:tests python benchmarks/bench_ocr.py [--quick]
"""

from __future__ import annotations

import sys
import time

from analytics.parsing import parse_bytes
from analytics.parsing.backends.pdf_text import import_pymupdf
from fixtures.corpus import documents, gold_of
from fixtures.ocr_images import gold_comparison, scanned_pdf

# Scanners store JPEG: a lossless 300 dpi colour page is 25 MB, over the upload limit for a report.
CASES = [
    ("plain", {"jpeg": 85}),
    ("skew 2°", {"skew": 2.0, "jpeg": 85}),
    ("blur+jpeg", {"blur": 0.8, "jpeg": 60}),
    ("red seal", {"seal": True, "jpeg": 85}),
]


def main() -> None:
    quick = "--quick" in sys.argv
    dpis = (300, 150) if quick else (300, 200, 150)
    cases = CASES[:1] + CASES[3:] if quick else CASES
    pdfs = [p for p in documents(".pdf")][: 1 if quick else None]
    print(f"{'file':<28}{'dpi':>5}  {'case':<10}{'cells':>6}{'wrong':>6}{'silent':>7}{'pages/s':>9}{'text p/s':>10}{'ratio':>7}")
    for pdf in pdfs:
        gold = gold_of(pdf)
        with import_pymupdf().open(pdf) as d:
            pages = d.page_count
        data = pdf.read_bytes()
        t = time.perf_counter()
        parse_bytes(data, pdf.name)
        text_rate = pages / (time.perf_counter() - t)
        for dpi in dpis:
            for name, kw in cases:
                scan = scanned_pdf(pdf, dpi, **kw)
                t = time.perf_counter()
                try:
                    record = parse_bytes(scan, "scan.pdf")
                    n, wrong, silent = gold_comparison(record, gold)
                except Exception as exc:  # a refused scan counts as every cell wrong
                    n, wrong, silent = 0, [str(exc)], []
                rate = pages / (time.perf_counter() - t)
                print(f"{pdf.stem[:26]:<28}{dpi:>5}  {name:<10}{n:>6}{len(wrong):>6}{len(silent):>7}"
                      f"{rate:>9.3f}{text_rate:>10.1f}{text_rate / rate:>7.0f}", flush=True)


if __name__ == "__main__":
    main()
