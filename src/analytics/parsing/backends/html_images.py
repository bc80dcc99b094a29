"""Tables a web page publishes as pictures (<img>): recognised by OCR where they stand.

Only an image the page itself carries (a ``data:`` URI) or a file beside it (a relative path inside
the page's folder, as a saved page keeps its pictures) is read: the parser never fetches anything
from the network, so an image on a server is named in a warning instead. An image is
read only when the page's own text holds no report table, and only when it is large enough to be
a table; its rows (each recognised cell with its confidence) take the image's place in the page.
"""

from __future__ import annotations

import base64
import binascii
import re

from ..document import Cell, Row

_DATA_URI = re.compile(r"^data:image/(png|jpe?g|gif|bmp|tiff?|webp);base64,(.*)$", re.I | re.S)
_TABLE_WORDS = re.compile(r"本年新收|第二十条|结果维持")
MAX_IMAGES = 6  # OCR costs seconds an image; a page of more pictures is a photo gallery
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MIN_WIDTH, MIN_HEIGHT = 400, 150  # pixels: smaller pictures are icons, logos, seals


def needed(rows: list[Row]) -> bool:
    """Whether the page's text lacks every report table, so its pictures may hold them."""
    return not any(_TABLE_WORDS.search("".join(r.texts)) for r in rows)


def recognise(rows: list[Row], images: list[tuple[int, str]], name: str, first_table: int,
              folder: str | None = None) -> tuple[list[Row], list[dict], int]:
    """The page's rows with each table picture's recognised rows put at its place; warnings;
    the number of pictures recognised."""
    from . import image, ocr

    notes: list[dict] = []
    found: list[tuple[int, list[Row]]] = []
    tables = first_table
    for k, (pos, src) in enumerate(images[:MAX_IMAGES], 1):
        data = _embedded(src)
        if data is None and folder:
            data = _beside(folder, src)
        if data is None:
            if src.strip():
                notes.append({"code": "image_not_read", "where": f"image {k}",
                              "message": f"网页中的图片（{src.strip()[:80]}）不在网页文件内，也不在网页所在文件夹中；"
                                         "解析时不联网，未做文字识别"})
            continue
        if not _table_sized(data):
            continue
        if not ocr.available():
            notes.append({"code": "ocr_unavailable", "where": f"image {k}",
                          "message": "网页中的表格是图片，需要文字识别，但本机未安装 Tesseract 中文模型（tesseract-ocr-chi-sim）"})
            continue
        doc = image.load(data, name)
        n_tables = 1 + max((r.table_index for r in doc.rows if r.table_index is not None), default=-1)
        found.append((pos, [Row([Cell(c.text, f"image {k} {c.where}", c.confidence) for c in r.cells],
                                f"image {k} {r.where}", r.in_table,
                                None if r.table_index is None else r.table_index + tables) for r in doc.rows]))
        tables += n_tables
        notes.extend(doc.warnings)
    out = list(rows)
    for pos, placed in reversed(found):  # from the end, so the earlier places stay where they were
        out[pos:pos] = placed
    return out, notes, len(found)


def _embedded(src: str) -> bytes | None:
    m = _DATA_URI.match(src.strip())
    if not m or len(m.group(2)) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(re.sub(r"\s+", "", m.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return None


def _beside(folder: str, src: str) -> bytes | None:
    """A picture named by a relative path inside the page's folder; a URL, an absolute path, a
    path out of the folder or through a symbolic link is not read."""
    from pathlib import Path, PurePosixPath
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    rel = PurePosixPath(unquote(parts.path).replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        return None
    base = Path(folder).resolve()
    path = base.joinpath(*rel.parts)
    try:
        if path.resolve() != path or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _table_sized(data: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError
    import io

    try:
        with Image.open(io.BytesIO(data)) as img:
            w, h = img.size
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    return w >= MIN_WIDTH and h >= MIN_HEIGHT
