"""Optical character recognition of a page image: words with boxes and confidences, and the ruling
lines of its tables, in the PDF backend's own units (points), so one table reader serves both.

The engine is Tesseract with its Simplified Chinese model as the distribution packages it
(Debian ``tesseract-ocr-chi-sim``): nothing is downloaded at run time. It is called as a command
(TSV output), so no Python binding is needed.

Before recognition the image is cleaned the way scanned reports need:

- red ink (a seal stamped over a table) is dropped by reading the red channel, in which red ink is
  nearly as light as the paper while black print stays black; the seal's own tint is divided out,
  and around its strokes grey marks with no dark core (JPEG's rim) are made paper;
- a skew of a few degrees is measured from the text rows and undone;
- table rulings are found as long straight runs of dark pixels, handed to the lattice reader as
  segments, and erased, since Tesseract reads a ruling beside a digit as "1" or "|".

Each table cell is read on its own, stretched to white paper and black print (a shaded header, a
faint 150 dpi scan), and as one line where it is printed on one; a cell that may hold a figure is
read once more by the digit model at the size it reads best, and where the two readings disagree
the cell is kept for review.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from ...errors import ReportError
from .pdf_lattice import Seg
from .pdf_text import Char, is_cjk

LANG = "chi_sim"
# Word confidence (0–1) below which a cell is kept as read but marked for review.
LOW_CONFIDENCE = float(os.environ.get("ANALYTICS_OCR_LOW_CONFIDENCE", "0.80"))
FILL_LIGHTEST = 160  # the darkest grey fill kept under the print threshold (a darker one is left to Otsu)
SEAL_KEEP = 100  # near seal ink, a grey lighter than this (the seal's own rim) is paper
MAX_PIXELS = 60_000_000  # a larger image is not a page scan (decompression bombs stop here)
TIMEOUT = 120  # seconds for one page


class OcrUnavailable(ReportError):
    reason = "ocr_unavailable"
    label_zh = "无法做文字识别"


@dataclass(frozen=True)
class OcrChar(Char):
    """A recognised character: its box is its share of the recognised word's box."""

    conf: float = 1.0  # the word's confidence, 0–1


@dataclass
class OcrPage:
    chars: list[OcrChar]
    hs: list[Seg]
    vs: list[Seg]
    width: float  # points
    height: float
    skew: float  # degrees the page was turned counter-clockwise (and turned back before reading)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether Tesseract and its Chinese model are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return LANG in out.split()


def require() -> None:
    if not available():
        raise OcrUnavailable("这是扫描件或图片，需要文字识别，但本机未安装 Tesseract 中文模型（tesseract-ocr-chi-sim）")


def open_image(data: bytes):
    """Pillow image of an image file's bytes, or ``CorruptFile``."""
    from PIL import Image

    from ...errors import CorruptFile

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Image.DecompressionBombError:
        raise CorruptFile("图片像素过多，不像是一页扫描件") from None
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise CorruptFile(f"图片已损坏，无法打开（{' '.join(str(exc).split())[:100]}）") from None
    return img


def image_dpi(img, default: float = 200.0) -> float:
    """The resolution an image states, else ``default``; a page scan is 100–600 dpi."""
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 72 <= value <= 1200 else default


def read_page(img, dpi: float) -> OcrPage:
    """Recognise one page image taken at ``dpi``."""
    require()
    prep = prepare(img, dpi)
    clean, crops = prep.clean, prep.crops
    scale = 72.0 / dpi
    h, w = clean.shape
    rest = clean.copy()
    for x0, y0, x1, y1 in crops:
        rest[y0:y1, x0:x1] = 255
    # cells one by one: Tesseract's page layout analysis loses lone digits in a grid of cells
    cells = prep.cells()
    per_cell = _read_cells(cells, dpi, [(x0, y0) for x0, y0, _x1, _y1 in crops])
    # A cell that may hold a figure is read again as one: the Chinese model takes a lone "4" for
    # 和, a "1" for ] or "21" for 2; the digit reading sees the figure at the size it reads best.
    again = [k for k, got in enumerate(per_cell) if _figure_candidate(got)]
    if again:
        figures = _read_figures([cells[k] for k in again], dpi, [crops[k][:2] for k in again])
        # where the two read two different figures, more digit readings at other sizes vote
        # (the cell stays marked for review all the same)
        split = [k for k, fig in zip(again, figures) if _two_figures(per_cell[k], fig)]
        votes: dict[int, list] = {k: [] for k in split}
        for height, binarise in FIGURE_VOTES:
            got = _read_figures_at([cells[k] for k in split], dpi, [crops[k][:2] for k in split], height, binarise)
            for k, g in zip(split, got):
                votes[k].append(g)
        for k, fig in zip(again, figures):
            per_cell[k] = _choose(per_cell[k], fig, votes.get(k))
    chars = [ch for got in per_cell for ch in got]
    for got in _recognise([rest], dpi, "3", [(0, 0)]):
        chars += got
    return OcrPage(chars, prep.hs, prep.vs, w * scale, h * scale, prep.skew)


@dataclass
class Prepared:
    """A page image made ready for recognition: levelled, seal and rulings removed."""

    clean: object  # grey levels (numpy array)
    hs: list[Seg]
    vs: list[Seg]
    crops: list[tuple[int, int, int, int]]  # pixel boxes of the table cells that hold ink
    skew: float

    def cells(self) -> list:
        """Each cell's image as Tesseract is given it."""
        return [_paper_white(self.clean[y0:y1, x0:x1]) for x0, y0, x1, y1 in self.crops]


def prepare(img, dpi: float) -> Prepared:
    import numpy as np

    gray, seal = _ink(img, dpi)
    skew = _skew(gray)
    if abs(skew) >= 0.05:
        from PIL import Image

        pil = Image.fromarray(gray).rotate(-skew, resample=Image.BILINEAR, fillcolor=255, expand=False)
        gray = np.asarray(pil)
        if seal is not None:
            turned = Image.fromarray(seal.astype(np.uint8) * 255).rotate(-skew, resample=Image.NEAREST, expand=False)
            seal = np.asarray(turned) > 0
    dark = gray < _threshold(gray)
    hs, vs, mask = _rulings(dark, dpi)
    clean = gray.copy()
    clean[mask] = 255
    if seal is not None:
        _drop_seal_rim(clean, seal)
    return Prepared(clean, hs, vs, _cell_crops(clean, hs, vs, dpi), skew)


def _read_cells(cells, dpi: float, offsets) -> list[list[OcrChar]]:
    """The Chinese model's reading of each cell: a cell printed on one line is read as one line
    (psm 7), any other as a block (psm 6). Read as a block, a wide one-line cell loses words:
    第二十条第（一）项 came back as 十条第（一）项."""
    one = [_one_line(c, dpi) for c in cells]
    out: list[list[OcrChar]] = [[] for _ in cells]
    for psm, flag in (("7", True), ("6", False)):
        pick = [k for k, o in enumerate(one) if o == flag]
        for k, got in zip(pick, _recognise([cells[k] for k in pick], dpi, psm, [offsets[k] for k in pick])):
            out[k] = got
    return out


def _one_line(cell, dpi: float) -> bool:
    """Whether a cell's print stands on one line: its inked rows form one band, no taller than a
    line of the largest type a table uses (16 pt)."""
    import numpy as np

    rows = (cell < 128).sum(axis=1) >= 2
    ys = np.nonzero(rows)[0]
    if not len(ys):
        return False
    gaps = np.diff(ys) > max(2, round(dpi / 100))  # a blank strip about ¼ pt high parts two lines
    return not gaps.any() and ys[-1] - ys[0] + 1 <= dpi * 16 / 72


FIGURE_CHARS = "0123456789.,/-"
# Ink height (pixels) a figure is scaled to before the digit reading: measured on the scans of
# tests/fixtures/ocr_images.py, the English model reads every table figure right at 20-24 pixels
# once binarised, and misses lone digits at the 40-60 pixels of a 300 dpi page.
FIGURE_HEIGHT = 22
FIGURE_HEIGHT_AGAIN = 26  # the second try, unbinarised, for a figure the first one did not see
# Where the Chinese and digit readings give two figures: more readings (ink height, binarised),
# sizes on both sides of the one the English model reads best.
FIGURE_VOTES = ((28, False), (20, True), (24, True), (26, False))
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CELL_WORDS = ("无", "是", "否", "其他", "合计", "总计", "小计")


def _figure_candidate(got: list[OcrChar]) -> bool:
    """A cell reading that may be a misread figure: nothing, no Chinese at all, or at most three
    characters that are not a Chinese word a table cell holds alone (无, 是, 否)."""
    text = "".join(c.c for c in got)
    if text in _CELL_WORDS:
        return False
    return len(text) <= 3 or not any(is_cjk(c) for c in text)


def _mean_conf(got: list[OcrChar]) -> float:
    return min((c.conf for c in got), default=0.0)


def _with_conf(got: list[OcrChar], conf: float) -> list[OcrChar]:
    from dataclasses import replace

    return [replace(c, conf=conf) for c in got]


def _two_figures(text_read: list[OcrChar], figure: list[OcrChar]) -> bool:
    text = "".join(c.c for c in text_read)
    fig = "".join(c.c for c in figure)
    return bool(_NUMBER.fullmatch(text) and _NUMBER.fullmatch(fig)) and text != fig


def _choose(text_read: list[OcrChar], figure: list[OcrChar], votes: list | None = None) -> list[OcrChar]:
    """The reading a cell keeps, given its Chinese-model reading, its digit reading and, where
    those two differ, more digit readings at other sizes.

    Two readings of the same figure confirm each other; two different figures leave the cell in
    doubt, so the figure most readings agree on (else the likelier of the two) is kept below the
    review threshold (never a silent guess); a Chinese word read more surely than any figure stays
    a word."""
    text = "".join(c.c for c in text_read)
    fig = "".join(c.c for c in figure)
    conf_t, conf_f = _mean_conf(text_read), _mean_conf(figure)
    if not _NUMBER.fullmatch(fig):
        return text_read
    if _NUMBER.fullmatch(text):
        if text == fig:
            return _with_conf(text_read, max(conf_t, conf_f))
        best = _plurality([text_read, figure] + list(votes or [])) or (text_read if conf_t > conf_f else figure)
        return _with_conf(best, min(conf_t, conf_f, LOW_CONFIDENCE - 0.01))
    if any(is_cjk(c) for c in text) and conf_t >= conf_f:
        return text_read
    return figure


def _plurality(readings: list[list[OcrChar]]) -> list[OcrChar] | None:
    """The reading of the figure more readings give than any other (at least two), or None."""
    from collections import Counter

    texts = ["".join(c.c for c in r) for r in readings]
    counts = Counter(t for t in texts if _NUMBER.fullmatch(t)).most_common(2)
    if not counts or counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return readings[texts.index(counts[0][0])]


def _read_figures(cells, dpi: float, offsets) -> list[list[OcrChar]]:
    """Digit readings of cell images: each scaled to the ink height the English model reads
    best (Lanczos), binarised, read as one line of figures; a cell with no figure read is tried
    once more at another size, unbinarised."""
    got = _read_figures_at(cells, dpi, offsets, FIGURE_HEIGHT, True)
    missed = [k for k, g in enumerate(got) if not g]
    again = _read_figures_at([cells[k] for k in missed], dpi, [offsets[k] for k in missed], FIGURE_HEIGHT_AGAIN, False)
    for k, g in zip(missed, again):
        got[k] = g
    return got


def _read_figures_at(cells, dpi: float, offsets, height: int, binarise: bool) -> list[list[OcrChar]]:
    """Digit readings of cell images scaled to one ink height."""
    if not cells:
        return []
    pics, factors = zip(*(_figure_image(a, height, binarise) for a in cells))
    return _recognise(list(pics), dpi, "7", offsets, lang="eng", whitelist=FIGURE_CHARS, factors=list(factors))


def _figure_image(cell, height: int, binarise: bool):
    """A cell image scaled so its ink stands ``height`` pixels high, and the factor applied."""
    import numpy as np
    from PIL import Image

    rows = np.nonzero((cell < 128).sum(axis=1) >= 2)[0]  # a lone speck is not ink
    if not len(rows):
        return cell, 1.0
    factor = min(max(height / (rows[-1] - rows[0] + 1), 0.1), 4.0)
    img = Image.fromarray(cell)
    img = img.resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))), Image.LANCZOS)
    out = np.asarray(img)
    if binarise:
        out = np.where(out > _otsu(out), 255, 0).astype(np.uint8)
    return out, factor


PAPER_LEVEL = 200  # after stretching, a grey this light is paper


def _paper_white(cell):
    """A cell image stretched so its paper is white and its print black.

    A shaded header cell (grey fill about 200) is read by Tesseract as nothing or as Latin noise;
    print blurred by upsampling a 150 dpi scan (strokes no darker than 100) loses strokes (予以 read
    as 玉以). The paper level is the cell's median (most of a cell is paper), the print level the
    darker tail of what is clearly darker than the paper."""
    import numpy as np

    paper = float(np.median(cell))
    ink_px = cell[cell < paper * 0.7]
    if paper < 100 or len(ink_px) < 4:  # a cell filled dark, or nothing printed: read as it is
        return cell
    ink = float(np.percentile(ink_px, 10))
    out = (cell.astype(np.float32) - ink) * (255.0 / max(paper - ink, 1.0))
    # Tesseract splits ink from paper by Otsu's method on each image: on a cell of a few strokes
    # a faint speck (JPEG ringing, a seal's rim) already falls on the ink side
    out[out > PAPER_LEVEL] = 255
    return np.clip(out, 0, 255).astype(np.uint8)


def _cell_crops(clean, hs, vs, dpi: float) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of the cells of every ruled table on the page that hold any ink."""
    from .pdf_lattice import find_grids
    from .pdf_settings import DEFAULT

    px = dpi / 72.0
    pad = max(int(dpi * 0.01), 1)
    out = []
    for grid in find_grids(hs, vs, 0, DEFAULT):
        for r0, c0, r1, c1 in grid.cells:
            x0, x1 = int(grid.xs[c0] * px) + pad, int(grid.xs[c1 + 1] * px) - pad
            y0, y1 = int(grid.ys[r0] * px) + pad, int(grid.ys[r1 + 1] * px) - pad
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            if (clean[y0:y1, x0:x1] < 128).sum() < 4:
                continue  # a blank cell
            out.append((x0, y0, x1, y1))
    return out


def _ink(img, dpi: float = 300.0):
    """Grey levels in which red ink vanishes (the red channel, with a seal's own tint divided out),
    and the mask of the pixels near seal ink, or None where there is no seal."""
    import numpy as np

    if img.mode in ("RGBA", "LA", "P", "PA"):
        from PIL import Image

        rgba = img.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, rgba)
    if img.mode in ("1", "L", "I", "I;16", "F"):
        return np.asarray(img.convert("L")), None
    rgb = np.asarray(img.convert("RGB"))
    red = rgb[:, :, 0]
    # Seal ink darkens the paper it covers in the red channel too (about 214 where the paper is
    # 255), enough for Tesseract to read its ring and star beside a figure as "1" or "|". Where a
    # pixel is clearly redder than grey, its red level is divided by the seal's own, measured on
    # the page: the paper under the seal turns white again, black print under it stays black.
    chroma = red.astype(np.int16) - (rgb[:, :, 1].astype(np.int16) + rgb[:, :, 2]) // 2
    solid = chroma > 100
    if solid.sum() < 50:
        return np.ascontiguousarray(red), None
    level = max(float(np.median(red[solid])), 100.0)
    out = red.astype(np.float32)
    seal = chroma > 40
    out[seal] *= 255.0 / level
    # JPEG keeps colour at a half (a 150 dpi scan read at 300: a quarter) of the resolution, so
    # the rim of a seal stroke is barely red yet grey: the caller turns it to paper once the
    # rulings are found (a thin ruling under the seal is no darker than that rim)
    from scipy import ndimage

    reach = max(2, round(dpi / 20))
    near = ndimage.maximum_filter(solid.view(np.uint8), size=2 * reach + 1) > 0  # separable: fast
    return np.minimum(out, 255).astype(np.uint8), near


def _drop_seal_rim(clean, seal) -> None:
    """Near seal ink, every grey mark with no core far darker than the seal is paper: the rim JPEG
    leaves around seal strokes goes, print keeps its soft edges (in place)."""
    import numpy as np
    from scipy import ndimage

    ys, xs = np.nonzero(seal)
    if not len(ys):
        return
    box = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
    part = clean[box]
    labels, n = ndimage.label(part < 230)  # any mark the stretch of a cell could darken
    if not n:
        return
    index = np.arange(1, n + 1)
    core = ndimage.minimum(part, labels, index)
    touches = ndimage.maximum(seal[box], labels, index)
    drop = np.zeros(n + 1, bool)
    drop[1:] = (core > SEAL_KEEP) & (touches > 0)
    part[drop[labels]] = 255


def _threshold(gray) -> int:
    """Otsu's threshold, kept between sensible bounds (a nearly blank page has no two classes)
    and below any grey fill on the page.

    Shaded header cells (a fill about 196) hold some 8% of a page's pixels: Otsu's method may
    split paper from that fill rather than print from both (209 on one page of a 150 dpi scan),
    and every gap between two characters of a shaded cell is then a long dark column, a ruling."""
    import numpy as np

    t = _otsu(gray)
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    paper = int(np.argmax(hist))
    lo, hi = FILL_LIGHTEST, paper - 24  # a fill lighter than that is paper's own shade
    if hi - lo >= 9:
        mass = np.convolve(hist[lo:hi], np.ones(9), "same")
        k = int(np.argmax(mass))
        if mass[k] > 0.015 * gray.size:
            t = min(t, lo + k - 16)
    return min(max(t, 90), 200)


def _otsu(gray) -> int:
    """The grey level that best splits an image's pixels into ink and paper (Otsu)."""
    import numpy as np

    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    total = hist.sum()
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean_all = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def _skew(gray) -> float:
    """Degrees the page is turned counter-clockwise (within ±6°): text rows run level once it is
    turned back.

    Dark pixels of a downscaled page are projected on the vertical axis at trial angles; rows of
    text give the sharpest profile when level."""
    import numpy as np

    step = max(1, gray.shape[1] // 1000)
    small = gray[::step, ::step]
    ys, xs = np.nonzero(small < _threshold(small))
    if len(ys) < 200:
        return 0.0
    if len(ys) > 60000:
        pick = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(float)
    xs = xs.astype(float) - small.shape[1] / 2

    def score(angle: float) -> float:
        # PIL rotates counter-clockwise for positive angles; a point's row after that rotation
        t = np.deg2rad(angle)
        rows = ys * np.cos(t) + xs * np.sin(t)
        hist = np.bincount((rows - rows.min()).astype(int))
        return float(np.sum(np.diff(hist.astype(float)) ** 2))

    best = max(np.arange(-6.0, 6.01, 0.5), key=score)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
    best = max(np.arange(best - 0.1, best + 0.101, 0.02), key=score)
    return float(round(best, 2))


def _rulings(dark, dpi: float):
    """Ruling segments (points) and the mask of their pixels, slightly widened for erasing."""
    import numpy as np
    from scipy import ndimage

    length = max(int(dpi * 0.28), 20)  # shorter than the narrowest table column, longer than 一
    scale = 72.0 / dpi
    thick = ndimage.binary_dilation(dark, structure=np.ones((3, 1), bool))
    h_mask = _line_opening(thick, length, axis=1)
    thick = ndimage.binary_dilation(dark, structure=np.ones((1, 3), bool))
    v_mask = _line_opening(thick, length, axis=0)
    max_width = max(int(dpi * 0.04), 4)  # a ruling is thin; a long thick run is a filled block
    hs: list[Seg] = []
    vs: list[Seg] = []
    labels, _n = ndimage.label(h_mask)
    for sl in ndimage.find_objects(labels):
        ys, xs = sl
        if ys.stop - ys.start <= max_width + 2:
            hs.append(Seg((ys.start + ys.stop - 1) / 2 * scale, xs.start * scale, (xs.stop - 1) * scale))
    labels, _n = ndimage.label(v_mask)
    for sl in ndimage.find_objects(labels):
        ys, xs = sl
        if xs.stop - xs.start <= max_width + 2:
            vs.append(Seg((xs.start + xs.stop - 1) / 2 * scale, ys.start * scale, (ys.stop - 1) * scale))
    mask = ndimage.binary_dilation(h_mask | v_mask, iterations=2)
    return hs, vs, mask


def _line_opening(mask, length: int, axis: int):
    """The binary opening of ``mask`` by a straight line of ``length`` pixels along ``axis``, as
    a running minimum then a running maximum: the same pixels as ``binary_opening`` with that
    line, in time independent of its length (a 300 dpi page: a fifth of the time)."""
    import numpy as np
    from scipy import ndimage

    eroded = ndimage.minimum_filter1d(mask.view(np.uint8), length, axis=axis, mode="constant", cval=0)
    # for an even length the two filters' centres differ by one pixel, as erosion's and dilation's do
    return ndimage.maximum_filter1d(eroded, length, axis=axis, mode="constant", cval=0,
                                    origin=-1 if length % 2 == 0 else 0) > 0


def _recognise(images, dpi: float, psm: str, offsets, lang: str = LANG, whitelist: str = "",
               factors=None) -> list[list[OcrChar]]:
    """Tesseract's words as characters with boxes in points, each with its word's confidence.

    Several images go to one Tesseract run as the pages of one TIFF: the model loads once.
    ``factors``: how much each image was scaled from the page image. Returns the characters of
    each image."""
    import tempfile

    from PIL import Image, ImageOps

    if not images:
        return []
    border = 12  # white margin: Tesseract misreads glyphs touching the image edge
    pics = [ImageOps.expand(Image.fromarray(a), border=border, fill=255) for a in images]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one page, one core: pages run in parallel instead
    with tempfile.TemporaryDirectory(prefix="analytics-ocr-") as tmp:
        path = os.path.join(tmp, "in.tif")
        pics[0].save(path, save_all=True, append_images=pics[1:], dpi=(dpi, dpi), compression="tiff_lzw")
        cmd = ["tesseract", path, "stdout", "-l", lang, "--psm", psm, "--dpi", str(int(dpi))]
        if whitelist:
            cmd += ["-c", f"tessedit_char_whitelist={whitelist}"]
        cmd.append("tsv")
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            raise OcrUnavailable(f"文字识别超时（单页超过 {TIMEOUT} 秒）") from None
        except OSError as exc:
            raise OcrUnavailable(f"无法运行 Tesseract（{exc.strerror}）") from None
    if run.returncode != 0:
        raise OcrUnavailable(f"Tesseract 识别失败（{run.stderr.decode('utf-8', 'replace').strip()[:100]}）")
    return words_to_chars(run.stdout.decode("utf-8", "replace"), 72.0 / dpi, offsets, border, factors)



def words_to_chars(tsv: str, scale: float, offsets, border: int = 0, factors=None) -> list[list[OcrChar]]:
    """Characters per image of a Tesseract TSV (``offsets``: where each image sits on the page;
    ``border``: the margin added around each; ``factors``: how much each was scaled).

    Tesseract's order of the words in a line is right where its word boxes are not: a box may
    reach over the next word (申请 spanning 人), or a comma's box sit below the line, and the table
    reader, which orders characters by position, would then shuffle or split the line. So every
    word takes its line's top and height, and ends where the next word of the line starts."""
    out: list[list[OcrChar]] = [[] for _ in offsets]
    lines: dict[tuple, tuple[int, int]] = {}  # (page, block, paragraph, line) -> (top, height)
    words: dict[tuple, list] = {}
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] not in ("4", "5"):
            continue
        key = tuple(parts[1:5])
        if parts[0] == "4":
            lines[key] = (int(parts[7]), int(parts[9]))
            continue
        text = "".join(parts[11].split())
        if text:
            words.setdefault(key, []).append([text, *(int(v) for v in parts[6:10]), float(parts[10])])
    for key, got in words.items():
        page = int(key[0]) - 1
        if not 0 <= page < len(offsets):
            continue
        ox, oy = offsets[page]
        f = factors[page] if factors else 1.0
        line_top, line_h = lines.get(key, (None, None))
        for k, (text, left, top, width, height, conf) in enumerate(got):
            if k + 1 < len(got) and left < got[k + 1][1] < left + width:
                width = got[k + 1][1] - left
            own = height / f * scale  # the font size still comes from the word's own glyphs
            if line_top is not None:
                top, height = line_top, line_h
            x = ((left - border) / f + ox) * scale
            y = ((top - border) / f + oy) * scale
            conf = max(conf, 0.0) / 100.0
            out[page].extend(_split_word(text, x, y, width / f * scale, height / f * scale, conf, own))
    return out


def _split_word(text: str, x: float, y: float, w: float, h: float, conf: float,
                glyph_h: float | None = None) -> list[OcrChar]:
    """A word's box shared out among its characters: a CJK character is about twice as wide as a
    digit. The size is the font size the glyphs' height (``glyph_h``, else the box's) suggests:
    digits stand about 0.7 of the em high."""
    weights = [2.0 if is_cjk(c) else 1.0 for c in text]
    total = sum(weights)
    cjk = any(is_cjk(c) for c in text)
    glyph_h = h if glyph_h is None else glyph_h
    size = glyph_h if cjk else glyph_h / 0.72
    out = []
    x0 = x
    for c, wt in zip(text, weights):
        x1 = x0 + w * wt / total
        out.append(OcrChar(c, x0, y, x1, y + h, size, conf))
        x0 = x1
    return out
