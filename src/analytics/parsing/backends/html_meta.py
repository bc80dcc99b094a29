"""What a page says about itself: its title and its publication date."""

from __future__ import annotations

import datetime as dt
import re

from .html_text import clean

# <meta name=…> keys that CMSs use for the publication date, most specific first.
_DATE_META = (
    "pubdate", "publishdate", "publish_date", "publishtime", "publish_time", "firstpublishedtime",
    "article:published_time", "og:published_time", "dc.date.issued", "dcterms.issued", "dc.date",
    "date", "releasedate",
)
_TITLE_META = ("articletitle", "og:title", "dc.title", "title")

_DATE_LABELS = ("发布日期", "发布时间", "发文日期", "成文日期", "公开日期", "印发日期", "日期", "时间")
# A specific label may drop its colon ("发布时间 2022-02-08"); a bare 日期/时间 must stand at the
# start of a segment and carry one, or "截至时间2021年12月31日" in the prose would count.
_LABELLED_DATE = re.compile(
    r"(?:(发布日期|发布时间|发文日期|成文日期|公开日期|印发日期)\s*[:：]?|(?:^|(?<=[\s|丨│/]))(日期|时间)\s*[:：])\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    re.M,
)
_BARE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")

# "报告_政府信息公开年报_某某网站": the site and column names that CMSs append to <title>.
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|—{1,2}|--|\s-\s)\s*")


def iso_date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def date_from_meta(metas: dict[str, str]) -> str | None:
    for key in _DATE_META:
        value = metas.get(key)
        if value:
            m = _BARE_DATE.search(value)
            if m and (found := iso_date(*m.groups())):
                return found
    return None


def date_from_text(text: str) -> str | None:
    """The date a page labels as its publication date (发布日期：2020-01-31), best label first."""
    best: tuple[int, str] | None = None
    for m in _LABELLED_DATE.finditer(text):
        found = iso_date(*m.groups()[2:])
        if not found:
            continue
        rank = _DATE_LABELS.index(m.group(1) or m.group(2))
        if best is None or rank < best[0]:
            best = (rank, found)
            if rank == 0:
                break
    return best[1] if best else None


def clean_title(title: str | None) -> str | None:
    """The report's own name out of a <title>: the part naming the report, not the site."""
    if not title:
        return None
    title = clean(title)
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    for part in parts:
        if "报告" in part:
            return part
    return parts[0] if parts else None


def title_from_meta(metas: dict[str, str]) -> str | None:
    for key in _TITLE_META:
        if metas.get(key):
            return clean_title(metas[key])
    return None


def looks_like_title(text: str) -> bool:
    """A heading line naming an annual report (short, mentions 报告)."""
    return 6 <= len(text) <= 80 and "报告" in text and not text.startswith(("根据", "本报告", "本年度报告"))
