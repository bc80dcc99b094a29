"""Short Chinese names for the table rows and columns, for charts where the official labels of
fields.csv are too long; tables of the report detail page keep the official wording."""

from __future__ import annotations

import re

import pandas as pd

from .. import rules as rules_registry
from ..warehouse.review import STATUS_ZH

from .. import fields

OUTCOME_GROUPS = {
    "a_granted": "予以公开",
    "a_partially_granted": "部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "refused": "不予处理",
    "other_handled": "其他处理",
}
GROUP_OF_ROW = {"granted": "予以公开", "partially_granted": "部分公开"}
for _k in fields.DENIED_ROWS:
    GROUP_OF_ROW[_k] = "不予公开"
for _k in fields.UNABLE_ROWS:
    GROUP_OF_ROW[_k] = "无法提供"
for _k in fields.REFUSED_ROWS:
    GROUP_OF_ROW[_k] = "不予处理"
for _k in [*fields.OTHER_ROWS_2021, "other_total"]:
    GROUP_OF_ROW[_k] = "其他处理"

APPLICANTS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_org": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他组织",
}
REVIEW_GROUPS = {"rv": "行政复议", "ld": "行政诉讼（未经复议直接起诉）", "la": "行政诉讼（复议后起诉）"}
REVIEW_COLS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}

_PREFIX = re.compile(r"^[一二三四五六七八九十]+[、（(]?[一二三四五六七八九十]*[）)]?\s*(\d+\.)?")


def row_label(key: str) -> str:
    """The official row label without its numbering and parenthetical notes."""
    text = _PREFIX.sub("", fields.label("applications_row", key))
    return re.sub(r"（[^）]*）$", "", text) or key


def active_label(key: str) -> str:
    text = fields.label("active", key)
    return text.split("·", 1)[1] if "·" in text else text

# Column headings of a parse-warning table (the record's warnings keep English keys).
WARNING_COLUMNS = {"code": "代码", "message": "说明", "where": "位置"}


def warning_frame(warnings: list[dict]):
    """A record's parse warnings as a table with Chinese headings (a missing field shows blank)."""
    frame = pd.DataFrame(warnings).reindex(columns=list(WARNING_COLUMNS))
    frame["where"] = frame["where"].map(where_zh)
    frame["message"] = frame["message"].map(message_zh)
    return frame.rename(columns=WARNING_COLUMNS)


def _field_names() -> dict[str, str]:
    """Field keys as the parsers write them into warnings (表3 new_received …), by Chinese name;
    a key of several tables takes the first table's name (the row keys of table 3 come first)."""
    names: dict[str, str] = {}
    for table, name in (("applications_row", row_label), ("applications_col", lambda k: fields.label("applications_col", k)),
                        ("review_group", lambda k: fields.label("review_group", k)),
                        ("review_col", lambda k: fields.label("review_col", k)), ("active", active_label)):
        for key in fields.keys(table):
            names.setdefault(key, name(key))
    return names


_FIELD_NAMES = _field_names()
_KEY_TOKEN = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9_]*(?![A-Za-z0-9_])")


def message_zh(message):
    """A stored warning's text with the field keys in it (表3 denied_state_secret) shown by their
    Chinese names (表3 “属于国家秘密”); other text is left as stored."""
    if not isinstance(message, str):
        return message
    return _KEY_TOKEN.sub(lambda m: f"“{_FIELD_NAMES[m.group()]}”" if m.group() in _FIELD_NAMES else m.group(),
                          message)

# Source pointers are stored as the backends write them ("page 3", "line 120, page 2",
# "table 2 r5 c3", "paragraph 4", "file"); they are translated only where they are shown.
_WHERE = (
    (re.compile(r"page (\d+)"), r"第 \1 页"),
    (re.compile(r"line (\d+), page (\d+)"), r"第 \2 页第 \1 行"),
    (re.compile(r"line (\d+)"), r"第 \1 行"),
    (re.compile(r"table (\d+) r(\d+) c(\d+)"), r"第 \1 个表格第 \2 行第 \3 列"),
    (re.compile(r"table (\d+) r(\d+)"), r"第 \1 个表格第 \2 行"),
    (re.compile(r"paragraph (\d+)"), r"第 \1 段"),
    (re.compile(r"file"), "全文"),
)


def where_zh(where: str | None) -> str | None:
    """A source pointer in Chinese; one of another shape is shown as stored."""
    if not isinstance(where, str):
        return where
    for pattern, zh in _WHERE:
        if pattern.fullmatch(where):
            return pattern.sub(zh, where)
    return where


# Rule names, severities and review states in Chinese come from their registries (spec/rules.toml,
# warehouse/review.py); the code stays beside the name for readers who know the rules by their codes.
RULES = {code: rule.name for code, rule in rules_registry.rules().items()}
SEVERITIES = rules_registry.SEVERITY_ZH
FINDING_STATUSES = STATUS_ZH


def rule_name(code: str) -> str:
    """A rule's Chinese name; a code the app does not know yet is shown as it is."""
    return rules_registry.name_zh(code)


def findings_frame(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with the rule's Chinese name (``rule_name``) beside its code and the severity and
    status in Chinese, for the findings tables."""
    out = findings.assign(rule_name=findings["rule"].map(rule_name))
    if "severity" in out:
        out["severity"] = out["severity"].map(SEVERITIES).fillna(out["severity"])
    if "status" in out:
        out["status"] = out["status"].map(FINDING_STATUSES).fillna(out["status"])
    return out
