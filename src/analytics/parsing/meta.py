"""Agency, year, publication date and scope of a report."""

from __future__ import annotations

import re
from pathlib import PurePath

_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_TITLE_AGENCY = re.compile(r"^(.{2,40}?)\s*(?:(?:19|20)\d{2})\s*年\s*度?\s*(?:政府)?(?:信息公开|政务公开)")
_TITLE_AGENCY_AFTER = re.compile(r"^(?:(?:19|20)\d{2})\s*年\s*度?\s*(.{2,40}?)\s*(?:政府)?(?:信息公开|政务公开)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|公开日期)\s*[:：]?\s*" + _DATE.pattern)
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def from_file_name(name: str) -> tuple[str | None, int | None]:
    stem = PurePath(name or "").stem
    m = _FILE_YEAR.search(stem)
    if not m:
        return (stem.strip("_- ") or None) if _HAN.search(stem) else None, None
    agency = stem[: m.start()].strip("_- ")
    return (agency if _HAN.search(agency) else None), int(m.group(1))


def title_candidates(title: str | None, first_lines: list[str]) -> list[str]:
    out = [title] if title else []
    # A title wrapped over two lines ("2024 年上海市科委政府信息公开工作" / "年度报告").
    for i, line in enumerate(first_lines):
        out.append(line)
        if i + 1 < len(first_lines):
            out.append(line + first_lines[i + 1])
    return out


# A covering letter's title ("某局关于报送2024年政府信息公开工作年度报告的函"): it names the report
# without being its title, and its "agency" would be "某局关于报送".
_LETTER = re.compile(r"关于(?:报送|上报|呈报|提交|报请|印发|公布|发布)")


# A sentence ("现将我局2021年…年度报告报送你们。") or a salutation running into one ("县政府办公室：
# 现将…") is no title; a page's "标题:" label is.
_SENTENCE = re.compile(r"[，。；]|^(?!标题|题目|名称)[\u4e00-\u9fff]{2,30}[:：].")


def _letter_sender(line: str) -> str | None:
    m = _LETTER.search(line)
    sender = line[: m.start()].strip("，,。:：# ") if m else ""
    return sender if len(_HAN.findall(sender)) >= 2 else None


def agency_and_year(title: str | None, first_lines: list[str], name: str) -> tuple[str | None, int | None, list[str]]:
    notes: list[str] = []
    doc_agency = doc_year = None
    candidates = [re.sub(r"\s+", "", line or "") for line in title_candidates(title, first_lines)]
    candidates = [c for c in candidates if not _SENTENCE.search(c)]
    letters = [line for line in candidates if _LETTER.search(line)]
    # the report's own title first; a letter's title only when no other line names the agency
    for line in [c for c in candidates if not _LETTER.search(c)] + letters:
        if doc_year is None and ("报告" in line or "政府信息公开" in line or len(line) < 12):
            m = _YEAR_TITLE.search(line)
            if m:
                doc_year = int(m.group(1))
        if doc_agency is None and "报告" in line:
            m = _TITLE_AGENCY.match(line) or _TITLE_AGENCY_AFTER.match(line)
            if _LETTER.search(line):
                doc_agency = _letter_sender(line)
            elif m and _HAN.search(m.group(1)):
                doc_agency = re.sub(r"(?:关于|的)$", "", m.group(1).strip("，,。:：# ")) or None
        if doc_agency and doc_year:
            break
    file_agency, file_year = from_file_name(name)
    agency = doc_agency
    if file_agency and (not doc_agency or _abbreviates(doc_agency, file_agency)):
        agency = file_agency  # the fuller name of the same body
    year = doc_year or file_year
    if doc_year and file_year and doc_year != file_year:
        notes.append(f"正文写的是 {doc_year} 年，文件名写的是 {file_year} 年")
    return agency, year, notes


def _abbreviates(short: str, full: str) -> bool:
    """True when ``short`` is ``full`` with characters left out (上海市科委 / 上海市科学技术委员会)."""
    it = iter(full)
    return all(ch in it for ch in short)


_BODY = re.compile(r"(?:人民政府|办公室|办公厅|局|委员会|委|厅|管委会|办事处|中心|政府)$")


def signature_date(last_lines: list[str], agency: str | None) -> str | None:
    """The date under the signature: the agency's name, then a date alone, as the last lines."""
    lines = [re.sub(r"\s+", "", x) for x in last_lines if x and x.strip()]
    if len(lines) < 2:
        return None
    m = _DATE.fullmatch(lines[-1])
    if not m:
        return None
    signer = lines[-2]
    if len(signer) > 40 or not (_BODY.search(signer) or (agency and (agency in signer or signer in agency))):
        return None
    return _iso(*m.groups())


def published_date(doc_published: str | None, first_lines: list[str], last_lines: list[str] = (),
                   agency: str | None = None) -> str | None:
    if doc_published:
        return doc_published
    for line in first_lines:
        m = _PUBLISHED.search(line)
        if m:
            return _iso(m.group(1), m.group(2), m.group(3))
    for line in first_lines[:8]:
        s = line.strip()
        m = _DATE.fullmatch(s)
        if m:
            return _iso(*m.groups())
    return signature_date(list(last_lines), agency)


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if 1 <= mi <= 12 and 1 <= di <= 31:
        return f"{yi:04d}-{mi:02d}-{di:02d}"
    return None


_OFFICE = re.compile(r"办公室$|办公厅$")
_TOWNSHIP_GOV = re.compile(r"(?:镇|乡|街道)人民政府$")
_GOVERNMENT = re.compile(r"人民政府$")
_ZONE = re.compile(r"(?:高新区|开发区|实验区|新区|园区|管委会|管理委员会)$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|厅|署|办|中心|院|会|所|处|办事处|街道)$")
_SUMMARY = re.compile(r"全(?:省|市|县|区|旗)[^。]{0,30}(?:汇总|各级|各部门)")


def scope(agency: str | None, text: str) -> str | None:
    if not agency:
        return "jurisdiction" if _SUMMARY.search(text) else None
    if _OFFICE.search(agency):
        return "office"
    if _TOWNSHIP_GOV.search(agency):
        return "agency"
    if _GOVERNMENT.search(agency):
        return "jurisdiction"
    if _ZONE.search(agency) or _DEPARTMENT.search(agency):
        return "agency"
    if _SUMMARY.search(text):
        return "jurisdiction"
    return None
