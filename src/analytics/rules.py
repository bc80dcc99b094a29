"""The registry of consistency rules (``spec/rules.toml``): each code's severity, scope, and the
Chinese name and description that notices and pages print beside a finding."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SEVERITY_ZH = {"error": "错误", "warning": "警告", "not_assessable": "无法判断"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    scope: str
    name: str
    description: str


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    text = resources.files("analytics").joinpath("spec/rules.toml").read_text(encoding="utf-8")
    out: dict[str, Rule] = {}
    for entry in tomllib.loads(text)["rule"]:
        rule = Rule(**entry)
        if rule.code in out:
            raise ValueError(f"rules.toml: {rule.code} twice")
        if rule.severity not in SEVERITY_ZH:
            raise ValueError(f"rules.toml: {rule.code} has severity {rule.severity!r}")
        out[rule.code] = rule
    return out


def name_zh(code: str) -> str:
    rule = rules().get(code)
    return rule.name if rule else code


def description_zh(code: str) -> str:
    rule = rules().get(code)
    return rule.description if rule else ""
