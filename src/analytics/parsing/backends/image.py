"""Image backend: a page scan or a photographed table (PNG, JPEG, TIFF) is recognised by OCR.

Each image (each frame of a multi-page TIFF) becomes one page of an image-only PDF at the
resolution the file states, and the PDF backend reads that: it finds no text layer, recognises
the pages and reads their tables with the same reader as any PDF."""

from __future__ import annotations

import io

from ..document import Document
from . import ocr, pdf
from .pdf_settings import DEFAULT, PdfSettings
from .pdf_text import import_pymupdf

MAX_FRAMES = 200


def load(data: bytes, name: str = "", settings: PdfSettings = DEFAULT) -> Document:
    ocr.require()
    img = ocr.open_image(data)
    dpi = ocr.image_dpi(img)
    pymupdf = import_pymupdf()
    out = pymupdf.open()
    frames = getattr(img, "n_frames", 1)
    for k in range(min(frames, MAX_FRAMES)):
        img.seek(k)
        frame = img.convert("RGB")
        buf = io.BytesIO()
        frame.save(buf, format="PNG")
        page = out.new_page(width=frame.width * 72 / dpi, height=frame.height * 72 / dpi)
        page.insert_image(page.rect, stream=buf.getvalue())
    data = out.tobytes()
    out.close()
    # recognised at the image's own resolution (never below 150 dpi): upsampling adds nothing
    doc = pdf.load(data, name, settings=_at(settings, max(150, min(600, int(round(dpi))))))
    doc.format = "image"
    return doc


def _at(settings: PdfSettings, dpi: int) -> PdfSettings:
    from dataclasses import replace

    return replace(settings, ocr_dpi=dpi)
