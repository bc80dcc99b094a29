"""Tunable distances of the PDF pipeline, in PDF points or in multiples of the font size."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class PdfSettings:
    max_pages: int = 200  # pages read at most; a longer file is not an annual report anyway
    snap: float = 2.0  # ruling lines closer than this (points) are one line
    thin_fill: float = 1.6  # a filled rectangle thinner than this (points) is drawn as a ruling line
    min_band: float = 3.0  # grid bands narrower than this (points) are drawing noise, not cells
    line_tolerance: float = 0.4  # chars whose vertical centres differ by less (x size) share a line
    cell_gap: float = 0.8  # a horizontal gap wider than this (x size) separates two cells of a line
    word_gap: float = 0.25  # a gap wider than this (x size) between Latin/digit chars is a space
    margin_zone: float = 0.12  # top/bottom fraction of the page where running headers/footers live
    max_row_gap: float = 2.6  # lines further apart than this (x line height) do not share a table
    use_rulings: bool = True  # read drawn ruling lines; off, every table is read from positions only
    max_rulings: int = 5000  # a page drawing more line pieces than this is a picture, not a table
    ocr_dpi: int = 300  # resolution at which a page without a text layer is rendered for OCR

    def __post_init__(self) -> None:
        if not isinstance(self.max_pages, int) or self.max_pages < 1:
            raise ValueError("max_pages 须为正整数")
        for f in fields(self):
            if f.name in ("max_pages", "use_rulings", "max_rulings", "ocr_dpi"):
                continue
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{f.name} 须为正数，而不是 {value!r}")
        if not isinstance(self.max_rulings, int) or self.max_rulings < 0:
            raise ValueError("max_rulings 须为非负整数")
        if not isinstance(self.ocr_dpi, int) or not 100 <= self.ocr_dpi <= 600:
            raise ValueError("ocr_dpi 须为 100 到 600 之间的整数")
        if self.margin_zone >= 0.5:
            raise ValueError("margin_zone 须小于 0.5（页面高度的比例）")


DEFAULT = PdfSettings()
