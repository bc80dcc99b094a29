"""A column's list pages: their links (with the date printed beside each) and the other pages of
the same list, found without running JavaScript.

Government CMSs paginate in a few fixed ways: ``index.html``, ``index_1.html`` … (TRS WCM,
whose page counter is a ``createPageHTML(total, current, "index", "html")`` call that names every
page without our having to run it), ``?page=2`` / ``?pageNo=2`` query strings, and 下一页 / 尾页
links. Only pages inside the column (same site, under the column's folder) are list pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit, urlunsplit

import lxml.html

from ..parsing.backends.html_text import decode_page

_PAGE_WORDS = re.compile(r"^(下一页|下页|上一页|上页|首页|尾页|末页|最后一页|第\s*\d+\s*页|\d+|>|>>|»|<|<<|«|next|prev|last|first)$",
                         re.I)
_INDEX_NAME = re.compile(r"^(index|default|list)(_\d+)?\.(s?html?|jsp|php|aspx?)$", re.I)
_PAGE_KEYS = {"page", "pageno", "pagenum", "pageindex", "curpage", "currentpage", "p", "pn", "pagenumber"}
_CREATE_PAGE = re.compile(r"createPage(?:HTML)?\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*"
                          r"['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]", re.I)
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
MAX_LIST_PAGES = 200  # a column of a few dozen years never has more; a loop is cut off here


@dataclass
class Link:
    url: str
    text: str
    date: str | None = None  # ISO date printed next to the link on the list page


@dataclass
class Listing:
    links: list[Link] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # other list pages of the same column


def decode(body: bytes, charset: str | None = None) -> str:
    """Page bytes to text: the HTTP charset when it decodes cleanly, else the page's own
    declaration, valid UTF-8 or GB18030 (``decode_page``, as the parser reads saved pages)."""
    if charset:
        codec = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(charset, charset)
        try:
            return body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_page(body)[0]


def parse_document(text: str, base_url: str):
    """The lxml tree with links made absolute against the page's URL (or its ``<base href>``)."""
    try:
        tree = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        tree = lxml.html.fromstring(text.encode("utf-8", "replace"))
    base = tree.xpath("string(//base/@href)").strip()
    tree.make_links_absolute(urljoin(base_url, base) if base else base_url, resolve_base_href=True,
                             handle_failures="discard")
    return tree


def column_of(url: str) -> str:
    """The column's folder: the URL up to its last ``/`` (``…/zfxxgknb/index.html`` → ``…/zfxxgknb/``)."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), folder, "", ""))


def in_column(url: str, column: str) -> bool:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", "")).startswith(column)


def clean_url(url: str) -> str:
    return urldefrag(url.strip())[0]


def parse_listing(text: str, url: str, column: str) -> Listing:
    tree = parse_document(text, url)
    out = Listing()
    seen_links, seen_pages = set(), set()
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or not href.startswith(("http://", "https://")):
            continue
        target = clean_url(href)
        label = _label(a)
        if _is_page_link(target, label, url, column):
            if target not in seen_pages:
                seen_pages.add(target)
                out.pages.append(target)
            continue
        if target in seen_links or target == clean_url(url):
            continue
        seen_links.add(target)
        out.links.append(Link(target, label, _date_near(a)))
    for total, current, stem, ext in _CREATE_PAGE.findall(text):
        folder = column_of(url)
        for i in range(min(int(total), MAX_LIST_PAGES)):
            page = folder + (f"{stem}.{ext}" if i == 0 else f"{stem}_{i}.{ext}")
            if page not in seen_pages and page != clean_url(url):
                seen_pages.add(page)
                out.pages.append(page)
    return out


def _label(a) -> str:
    # A list truncates long titles ("…年度报…") and often keeps the whole one in title="…".
    text = " ".join(a.text_content().split())
    title = " ".join((a.get("title") or "").split())
    return title if len(title) > len(text.rstrip(".…")) else text


def _is_page_link(target: str, label: str, here: str, column: str) -> bool:
    """Whether a link leads to another page of this list (rather than to an article)."""
    if not in_column(target, column):
        return False
    t, h = urlsplit(target), urlsplit(here)
    name = t.path.rsplit("/", 1)[-1]
    same_folder = t.path.rsplit("/", 1)[0] == h.path.rsplit("/", 1)[0]
    if same_folder and (_INDEX_NAME.match(name) or (name == "" and not t.query)):
        return True
    if t.path == h.path and t.query:
        keys = {k.lower() for k, _ in parse_qsl(t.query, keep_blank_values=True)}
        if keys & _PAGE_KEYS:
            return True
    return bool(_PAGE_WORDS.match(label)) and same_folder and not _looks_like_article(name)


def _looks_like_article(name: str) -> bool:
    # TRS article files are t20240308_87885.html; others art_123_456.html, content_1234.htm.
    return bool(re.match(r"^(t\d{8}_\d+|art_\d+_\d+|content_\d+)", name))


def _date_near(a) -> str | None:
    """The date printed in the link's own list item (<li>, table row), if any."""
    node, item = a, a
    for _ in range(3):
        node = node.getparent()
        if node is None or len(node.findall(".//a")) > 1 and node.tag not in ("li", "tr", "dd"):
            break  # a container of several links: its dates belong to the other links too
        item = node
        if node.tag in ("li", "tr", "dd"):
            break
    m = _DATE.search(item.text_content())
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
