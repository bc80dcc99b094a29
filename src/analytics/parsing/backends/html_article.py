"""Finding the report inside a whole CMS page: the region that holds its tables and headings.

Government sites wrap the report in navigation, menus, share bars, related-article lists and
footers. The article is the smallest element that holds every data table and enough of the
report's section headings; inside it, navigation-like blocks are still skipped while walking.
"""

from __future__ import annotations

import re

from lxml import etree

# Elements whose content is never report text.
SKIP_TAGS = frozenset(
    "script style noscript template iframe object embed svg canvas select option button input "
    "textarea head title map audio video math link meta".split()
)
# Page furniture: skipped unless it wraps a data table (ASP.NET pages put the whole body in a <form>).
FURNITURE_TAGS = frozenset("nav header footer aside form".split())
_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|sidebar|share|bdshare|copyright|toolbar|"
    r"pagination|pager|print|related)(?:$|[\s_-])",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_DIGIT = re.compile(r"\d")
# Words printed in the template's tables 2, 3 and 4.
_TABLE_WORDS = ("信息内容", "规章", "规范性文件", "行政许可", "行政处罚", "自然人", "法人或其他组织", "申请",
                "行政复议", "行政诉讼", "结果维持", "不予公开")
# Words of the report's section headings (一 总体情况 … 六 其他需要报告的事项).
_SECTION_WORDS = ("总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告")
# The article grows from around its tables until it holds this many section headings (fewer if the
# page has fewer): half of the six puts it around the report's text, not only its tables, and
# still finds a report that words some headings its own way.
ARTICLE_SECTIONS = 3
# Without tables, the block whose paragraphs hold the most text is the article only from this many
# characters on; a smaller one (a notice, a list of links) is no report, and the page is read whole.
ARTICLE_MIN_CHARS = 200


def text_of(el) -> str:
    """All text under an element (tostring's text mode is far faster than joining itertext())."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def strip_non_content(root) -> None:
    """Remove scripts and styles (keeping the text after them) so that text_of() is what a reader sees.

    Comments are already gone: the parser drops them.
    """
    for el in list(root.iter("script", "style", "noscript", "template")):
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def table_rows(table) -> list:
    """The <tr> elements of this table itself, not of tables nested in its cells."""
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("tbody", "thead", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def row_cells(tr) -> list:
    return [c for c in tr if c.tag in ("td", "th")]


def is_layout_table(table) -> bool:
    """A table used for page layout: it holds other tables, or it is a single framed cell."""
    if table.find(".//table") is not None:
        return True
    rows = table_rows(table)
    return len(rows) <= 1 and sum(len(row_cells(r)) for r in rows) <= 1


def data_tables(root) -> list:
    """Grid tables that hold figures: the candidates for the report's tables.

    Tables that use the report's own words (申请, 行政复议, 规章 …) win over other figure tables, so
    that a footer of phone numbers or a visitor counter does not pull the article out to the whole
    page. Hidden copies (a second, display:none rendering for phones) are left out, unless every
    table is hidden: some CMSs hide the whole article until a script reveals it.
    """
    found = []
    for table in root.iter("table"):
        if is_layout_table(table) or len(table_rows(table)) < 2:
            continue
        text = text_of(table)
        if _DIGIT.search(text):
            found.append((table, any(w in text for w in _TABLE_WORDS)))
    reported = [t for t, has_words in found if has_words]
    tables = reported or [t for t, _w in found]
    visible = [t for t in tables if not _hidden(t)]
    return visible or tables


def _is_hidden(el) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or bool(style and _HIDDEN_STYLE.search(style))


def _hidden(el) -> bool:
    return _is_hidden(el) or any(_is_hidden(a) for a in el.iterancestors())


def _ancestors(el) -> list:
    chain = [el]
    chain.extend(el.iterancestors())
    chain.reverse()
    return chain


def _common_ancestor(elements: list):
    chains = [_ancestors(e) for e in elements]
    common = None
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def section_words(text: str) -> int:
    return sum(1 for w in _SECTION_WORDS if w in text)


def find_article(body, tables: list, page_text: str):
    """The element to read: around the data tables, grown until it holds the section headings."""
    if not tables:
        return _densest_block(body)
    node = _common_ancestor(tables)
    while node is not None and node.tag in ("table", "tbody", "thead", "tfoot", "tr"):
        node = node.getparent()
    if node is None:
        return body
    wanted = min(ARTICLE_SECTIONS, section_words(page_text))
    while node is not body and node.getparent() is not None and section_words(text_of(node)) < wanted:
        node = node.getparent()
    return node


def _densest_block(body):
    """Without tables: the element whose own paragraphs hold the most text."""
    score: dict = {}
    for p in body.iter("p"):
        parent = p.getparent()
        if parent is not None:
            score[parent] = score.get(parent, 0) + len(text_of(p))
    if not score:
        return body
    best = max(score, key=score.get)
    return best if score[best] >= ARTICLE_MIN_CHARS else body


def keep_ancestors(tables: list) -> set:
    """Elements that contain a data table: never skipped as furniture or hidden."""
    keep = set()
    for t in tables:
        keep.add(t)
        keep.update(t.iterancestors())
    return keep


def is_furniture(el, keep: set) -> bool:
    """Navigation, menus, share bars, footers and hidden blocks (but never a data table's wrapper)."""
    tag = el.tag
    attrs = el.attrib
    if tag in FURNITURE_TAGS:
        return el not in keep
    if _is_hidden(el) or attrs.get("role") in ("navigation", "banner", "contentinfo"):
        return el not in keep
    marks = (attrs.get("class") or "") + " " + (attrs.get("id") or "")
    if marks.strip() and _FURNITURE_CLASS.search(marks):
        return el not in keep
    return False

