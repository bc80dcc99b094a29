"""Which links of a column are annual reports, which year each covers, and what a report page
says about itself (its title, publication date and attachments).

A title is read, not a URL: 2023年政府信息公开工作年度报告, XX局2022年度政府信息公开年报,
2021年政府信息公开工作报告 are reports; their 解读, 图解, the notice that publishes them, a
correction, and the government's 政府工作报告 (a different document) are not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from ..manifest import FIRST_YEAR
from .listing import _DATE, clean_url

REPORT_WORDS = re.compile(r"年报|年度报告|工作报告")
NOT_REPORT = re.compile(r"解读|图解|政策问答|通知|公告|更正|勘误|说明|征集|意见|目录|指南|制度|办法|会议|培训|"
                        r"专栏|统计表|考核|评估|第三方|访谈|撤销")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九○Ｏ", "001234567890" "0")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd")


def normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def is_report_title(title: str) -> bool:
    t = normal(title)
    if not REPORT_WORDS.search(t) or NOT_REPORT.search(t):
        return False
    if "政府工作报告" in t and "信息公开" not in t:
        return False  # the annual government work report to the people's congress
    return report_year(t) is not None


def looks_truncated(title: str) -> bool:
    """A list's cut-off title (…年度报…): decided on the report page's own title instead."""
    t = normal(title)
    return t.endswith(("...", "…", "..")) and bool(_YEAR.search(t.translate(_CN_DIGITS)))


def report_year(title: str) -> int | None:
    """The year a report covers, from its title: the first plausible ``NNNN年`` (年度)."""
    t = normal(title).translate(_CN_DIGITS)
    last = date.today().year
    for m in _YEAR.finditer(t):
        y = int(m.group(1))
        if FIRST_YEAR <= y <= last:
            return y
    return None


def agency_from_title(title: str) -> str | None:
    """The agency a title names before its year (平潭综合实验区2023年度… → 平潭综合实验区), if any."""
    t = normal(title)
    m = _YEAR.search(t.translate(_CN_DIGITS))  # one character for one: positions stay the same
    if not m:
        return None
    prefix = t[:m.start()].strip("“”\"'《》【】[]（）()：:、,，-—_ ")
    prefix = re.sub(r"(关于|的)$", "", prefix)
    return prefix if len(prefix) >= 2 and not prefix.isdigit() else None


@dataclass
class ReportPage:
    title: str | None
    published: str | None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (url, link text)


def read_report_page(tree, page_url: str) -> ReportPage:
    """What a report page says: its title (the CMS's ArticleTitle, else <h1>, else <title>), the
    publication date it states, and the links to report attachments."""
    title = _meta(tree, "ArticleTitle") or _first_text(tree, "//h1") or _title(tree)
    published = _published(tree)
    atts, seen = [], set()
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or not href.startswith(("http://", "https://")):
            continue
        url = clean_url(href)
        if url in seen or url == clean_url(page_url):
            continue
        if attachment_suffix(url):
            seen.add(url)
            atts.append((url, " ".join(a.text_content().split())))
    return ReportPage(title, published, atts)


def attachment_suffix(url: str) -> str | None:
    """The document suffix a link names in its path or query (download.jsp?filename=x.pdf)."""
    parts = urlsplit(url)
    for piece in (parts.path, *unquote(parts.query).replace("&", "=").split("=")):
        low = unquote(piece).lower().strip()
        for suffix in ATTACHMENT_SUFFIXES:
            if low.endswith(suffix):
                return suffix
    return None


def _meta(tree, name: str) -> str | None:
    for el in tree.xpath("//meta[@name]"):
        if el.get("name", "").lower() == name.lower() and (el.get("content") or "").strip():
            return el.get("content").strip()
    return None


def _first_text(tree, xpath: str) -> str | None:
    for el in tree.xpath(xpath):
        text = " ".join(el.text_content().split())
        if text:
            return text
    return None


def _title(tree) -> str | None:
    text = _first_text(tree, "//title")
    # 平潭综合实验区2023年度…年度报告_政府信息公开年报_平潭综合实验区党工委管委会: the article comes first.
    return re.split(r"\s*[_|｜]\s*|\s+-\s+", text)[0] if text else None


def _published(tree) -> str | None:
    value = _meta(tree, "PubDate") or _meta(tree, "firstpublishedtime") or _meta(tree, "publishdate")
    if not value:
        body = " ".join(tree.xpath("string(//body)").split())
        m = re.search(r"(发布时间|发布日期|发文日期|成文日期|时间)\s*[:：]\s*", body)
        value = body[m.end():m.end() + 20] if m else None
    m = _DATE.search(value or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None
