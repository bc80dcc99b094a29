"""HTML as agencies publish it: a Word document pasted into a CMS, optionally inside the whole page.

Cells carry Word's habits: labels split over ``<span>`` runs, a ``<br>`` inside long labels,
``&nbsp;`` or ``<o:p>&nbsp;</o:p>`` for blanks, widths in inline styles.
"""

from __future__ import annotations

from html import escape

import numpy as np

from . import layout, prose
from .report import Report

_SPAN = '<span style="font-family:宋体;font-size:10.5pt">'


def _runs(text: str, rng: np.random.Generator) -> str:
    """Split a label over one to three spans, and sometimes break a long one with <br />."""
    if len(text) > 6 and rng.random() < 0.5:
        cut = int(rng.integers(2, len(text) - 2))
        text_parts = [text[:cut], text[cut:]]
    else:
        text_parts = [text]
    html = []
    for part in text_parts:
        if len(part) > 12 and rng.random() < 0.3:
            mid = len(part) // 2
            html.append(f"{_SPAN}{escape(part[:mid])}</span><br />{_SPAN}{escape(part[mid:])}</span>")
        else:
            html.append(f"{_SPAN}{escape(part)}</span>")
    return "".join(html)


def _table(grid: layout.Grid, rng: np.random.Generator, blank: str) -> str:
    width = 560 // layout.n_columns(grid)
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
           'style="border-collapse:collapse;border:none;width:560px">', "<tbody>"]
    for row in grid:
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            inner = _runs(cell.text, rng) if cell.label and cell.text else (
                f"{_SPAN}{escape(cell.text)}</span>" if cell.text else blank)
            align = "left" if cell.label and len(cell.text) > 8 else "center"
            out.append(f'<td{attrs} valign="center" style="width:{width * cell.colspan}px;border:solid windowtext 1pt">'
                       f'<p class="MsoNormal" align="{align}">{inner}</p></td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _para(text: str, bold: bool = False) -> str:
    inner = f"<strong>{escape(text)}</strong>" if bold else escape(text)
    return f'<p class="MsoNormal" style="text-indent:2em;line-height:28px">{_SPAN}{inner}</span></p>'


def article(report: Report, rng: np.random.Generator) -> str:
    blank = "&nbsp;" if rng.random() < 0.5 else "<o:p>&nbsp;</o:p>"
    h = prose.headings(report)
    s = report.sections
    parts = [_para(s["preface"]), _para(h[0], True)]
    parts += [_para(line) for line in s["overview"].split("\n")]
    for i, grid in enumerate((layout.table2(report), layout.table3(report), layout.table4(report))):
        parts.append(_para(h[i + 1], True))
        if report.style.table_captions:
            parts.append(f'<p align="center">表{i + 1}</p>')
        parts.append(_table(grid, rng, blank))
    parts += [_para(h[4], True), _para(s["problems"]), _para(h[5], True), _para(s["other_matters"])]
    parts += [f'<p align="right">{escape(line)}</p>' for line in prose.signature(report)]
    return "\n".join(parts)


def render(report: Report, rng: np.random.Generator) -> bytes:
    title = prose.title(report)
    body = article(report, rng)
    if not report.style.cms_page:
        doc = (f'<div class="WordSection1">\n<p align="center"><strong>{escape(title)}</strong></p>\n'
               f"{body}\n</div>\n")
        return doc.encode("utf-8")
    a = report.agency
    site = a.name if a.kind == "government" else f"{a.city}人民政府"
    nav = "".join(f'<li><a href="/{i}/">{escape(t)}</a></li>' for i, t in enumerate(
        ["首页", "政务公开", "政务服务", "互动交流", "走进" + a.city, "专题专栏"]))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8" />
<title>{escape(title)}_政府信息公开年报_{escape(site)}</title>
<meta name="PubDate" content="{report.published} 09:30" />
<style>.nav li{{display:inline;margin:0 8px}} .article{{width:900px;margin:0 auto}}</style>
<script>var siteId = 1024;</script>
</head><body>
<div class="top"><a href="/">无障碍浏览</a> <a href="/">长者模式</a> <a href="/">登录</a></div>
<ul class="nav">{nav}</ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info">发布时间：{report.published} 来源：{escape(a.name)} 字号：[大 中 小]</div>
<div class="content" id="zoom">
{body}
</div>
<div class="share">分享到： 微信 微博 <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="footer"><p>主办单位：{escape(site)}办公室 网站标识码：3600000000</p><p>备案号：示例ICP备00000000号</p></div>
</body></html>
"""
    return page.encode("utf-8")
