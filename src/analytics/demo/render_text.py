"""Flattened text, as a browser copy or a crawler's export leaves a report: tab-separated cells.

Each table row becomes the cells that start in it joined by tabs (spanned positions disappear,
blank cells stay as empty fields). Some files carry a crawler's header block, some are GB18030,
some have a form feed (page break) inside table 3.
"""

from __future__ import annotations

import numpy as np

from . import layout, prose
from .report import Report


def _table_lines(grid: layout.Grid) -> list[str]:
    return ["\t".join(c.text for c in row) for row in grid]


def render(report: Report, rng: np.random.Generator) -> bytes:
    title = prose.title(report)
    h = prose.headings(report)
    s = report.sections
    lines: list[str] = []
    if rng.random() < 0.5:
        lines += [f"标题: {title}", f"发布时间: {report.published} {int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}",
                  f"发布机构: {report.agency.name}", "栏目: 政府信息公开年报", "", "=" * 20 + " 正文 " + "=" * 20, ""]
    lines += [title, "", s["preface"], "", h[0], *s["overview"].split("\n"), ""]
    grids = [layout.table2(report), layout.table3(report), layout.table4(report)]
    for i, grid in enumerate(grids):
        lines.append(h[i + 1])
        if report.style.table_captions:
            lines.append(f"表{i + 1}")
        table = _table_lines(grid)
        if i == 1 and report.style.page_breaks:
            cut = int(rng.integers(6, len(table) - 3))
            # pdftotext-style copies keep the page footer just before the form feed.
            footer = [f"- {int(rng.integers(2, 5))} -"] if rng.random() < 0.5 else []
            table = table[:cut] + footer + ["\f"] + table[cut:]
        lines += table
        lines.append("")
    lines += [h[4], s["problems"], "", h[5], s["other_matters"], "", *prose.signature(report), ""]
    text = "\n".join(lines).replace("\n\f\n", "\n\f")
    enc = report.style.encoding
    if enc == "gb18030":
        return text.encode("gb18030")
    if enc == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")
