"""The rules that read prose (YEAR_IN_TEXT, TEXT_VS_TABLE, SECTION_MISSING, FEE_WITHOUT_NOTE).

They run in Python over ``reports.sections`` of the checked reports; each yields rows of the same
shape as the SQL rules.
"""

from __future__ import annotations

import json
import re
import unicodedata

from .. import fields as F

_NUM = r"(\d+)"
# Sentences that speak of the report year itself: the opening "2022年，" of 一 总体情况, "本年度（2022年）",
# and the title phrase "2022年度政府信息公开工作".
_YEAR_SELF = [
    re.compile(r"^.{0,20}?(20\d\d)年(?:度)?(?:，|,|以来|[^，。]{0,6}?(?:坚持|深入|认真|全面))"),
    re.compile(r"(?:本年度?|今年)[（(](20\d\d)年?[)）]"),
    re.compile(r"(20\d\d)年度?政府信息公开工作年度报告"),
]
_STATED = [
    ("new_received", "新收申请数",
     re.compile(r"(?:共|全年|累计|本年度?)?(?:新)?收到[^，。；\d]{0,12}?申请(?:共|合计)?" + _NUM + r"件")),
    ("review", "行政复议数", re.compile(r"行政复议(?:案件|申请)?(?:共|合计)?" + _NUM + r"(?:件|起)")),
    ("litigation", "行政诉讼数", re.compile(r"行政诉讼(?:案件)?(?:共|合计)?" + _NUM + r"(?:件|起)")),
]
_NO_FEE = re.compile(r"(?:未|没有|不|无)(?:收取|收|产生|发生)[^。；]{0,8}?(?:信息处理费|费用|任何费)|信息处理费[为:：]?0(?:\.0+)?元")
_FEE_AMOUNT = re.compile(r"收取[^。；]{0,10}?信息处理费[^。；\d]{0,6}?(\d+(?:\.\d+)?)元")
_EMPTY = {"", "无", "无。", "暂无", "暂无。", "无其他需要报告的事项", "无其他需要报告的事项。"}


def _clean(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def _row(rule, report_id, agency_id, year, subject, message, expected=None, actual=None):
    return (rule, "warning", report_id, agency_id, year, subject, message, expected, actual)


def check_report(report_id, agency_id, year, sections, figures: dict, tables: dict) -> list[tuple]:
    out = []
    overview = _clean(sections.get("overview"))
    problems = _clean(sections.get("problems"))
    other = _clean(sections.get("other_matters"))
    prose = overview + problems + other

    for pattern in _YEAR_SELF:
        target = overview if pattern is _YEAR_SELF[0] else prose
        m = pattern.search(target)
        if m and int(m.group(1)) != year:
            out.append(_row("YEAR_IN_TEXT", report_id, agency_id, year, "year",
                            f"{year} 年度报告的正文把 {m.group(1)} 年写作本年：“{m.group(0)[:30]}”",
                            float(year), float(m.group(1))))
            break

    litigation = None
    if figures.get("ld_total") is not None or figures.get("la_total") is not None:
        litigation = (figures.get("ld_total") or 0) + (figures.get("la_total") or 0)
    table = {"new_received": figures.get("a_new_received"), "review": figures.get("rv_total"),
             "litigation": litigation}
    for key, zh, pattern in _STATED:
        m = pattern.search(prose)
        if m and table[key] is not None and float(m.group(1)) != float(table[key]):
            out.append(_row("TEXT_VS_TABLE", report_id, agency_id, year, key,
                            f"正文称{zh}为 {m.group(1)}，表格为 {table[key]:g}", float(table[key]), float(m.group(1))))

    missing = [name for name, ok in (
        ("一、总体情况", bool(overview)),
        ("二、主动公开政府信息情况", tables.get(F.ACTIVE_DISCLOSURE, 0) > 0),
        ("三、收到和处理政府信息公开申请情况", tables.get(F.APPLICATIONS, 0) > 0),
        ("四、政府信息公开行政复议、行政诉讼情况", tables.get(F.REVIEW_LITIGATION, 0) > 0),
        ("五、存在的主要问题及改进情况", problems not in _EMPTY),
        ("六、其他需要报告的事项", "other_matters" in sections and sections.get("other_matters") is not None),
    ) if not ok]
    if missing:
        out.append(_row("SECTION_MISSING", report_id, agency_id, year, "sections",
                        "缺少或内容为空的部分：" + "、".join(missing), None, float(len(missing))))

    if _NO_FEE.search(other):
        charged = [float(x) for x in _FEE_AMOUNT.findall(prose) if float(x) > 0]
        no_fee_row = figures.get("a_other_no_fee") or 0
        if charged or no_fee_row > 0:
            what = f"正文记载收取信息处理费 {charged[0]:g} 元" if charged else f"表三“逾期未缴纳费用”为 {no_fee_row:g} 件"
            out.append(_row("FEE_WITHOUT_NOTE", report_id, agency_id, year, "fees",
                            f"第六部分称未收取费用，但{what}", 0.0, charged[0] if charged else float(no_fee_row)))
    return out


def prose_findings(con) -> list[tuple]:
    from .sqlfiles import read

    cur = con.execute(read("checks/prose_inputs"))
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values))
        try:
            sections = json.loads(row["sections"]) if row["sections"] else None
        except ValueError:
            sections = None
        if not isinstance(sections, dict):
            continue
        tables = {t: row[f"n_{t}"] for t in F.REPORT_TABLES}
        out.extend(check_report(row["report_id"], row["agency_id"], row["year"], sections, row, tables))
    return out
