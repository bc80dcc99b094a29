"""The prose sections: 一 总体情况, 五 存在的主要问题及改进情况, 六 其他需要报告的事项."""

from __future__ import annotations

import re

_NUM = r"[一二三四五六七八九十]+\s*[、.．]"
# Tried in order: the heading's wording with the usual numbering anywhere (a flattened page may
# run it into the text), then other numberings ("第一部分", "1.", "(一)") or none at a line start.
_OVERVIEW = [re.compile(r"一\s*[、.．]\s*(?:总体情况|概述)"), re.compile(r"第一部分\s*[:：、.]?\s*(?:总体情况|概述)"),
             re.compile(r"(?:^|\n)\s*(?:1\s*[、.．]|[(（]一[)）])?\s*(?:总体情况|概述)\s*(?=\n|$)")]
_OVERVIEW_END = re.compile(r"(?:(?:[一二三四五六七八九十]+|\d)\s*[、.．]\s*|第二部分\s*)?主动公开政府信息情况|第二十条")
_AFTER_TABLES = re.compile(r"结转下年度|尚未审结")
_PROBLEMS = re.compile(
    rf"(?:{_NUM})?\s*(?:政府信息公开工作)?存在的?主要问题(?:及|和|与)?(?:改进|整改)?(?:情况|措施)?"
    r"|[(（]一[)）]\s*主要问题|存在问题")
_OTHER = re.compile(rf"(?:{_NUM})?\s*其他需要报告的事项")


def read_sections(text: str) -> dict:
    out = {"overview": None, "problems": None, "other_matters": None}
    m = next((hit for hit in (rx.search(text) for rx in _OVERVIEW) if hit), None)
    if m:
        e = _OVERVIEW_END.search(text, m.end())
        out["overview"] = _clean(text[m.end():e.start() if e else len(text)])
    tail = 0
    for t in _AFTER_TABLES.finditer(text):
        tail = t.end()
    p = _PROBLEMS.search(text, tail)
    o = _OTHER.search(text, p.end() if p else tail)
    if p:
        out["problems"] = _clean(text[p.end():o.start() if o else len(text)])
    if o:
        out["other_matters"] = _clean(_SIGNATURE.sub("", text[o.end():].rstrip()))
    return out


# The closing signature (the body's name, then the date) is not part of section 六.
_SIGNATURE = re.compile(r"\n[^\n]{2,40}?(?:人民政府|办公室|办公厅|局|委员会|委|厅|管委会|办事处|中心|政府)\s*\n\s*"
                        r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _clean(s: str) -> str | None:
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n", s).strip(" \n:：")
    return s or None
