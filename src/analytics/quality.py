"""The report quality score (年报质量评分): its parts, weights and constants, read from
``spec/quality.toml``.

Everything that shows or computes the score takes it from here: the ``report_quality`` mart (its
constants are filled into ``sql/marts/report_quality.sql``), the 数据质量 page, the evaluation
report and ``docs/evaluation.md``. A part is a value from 0 to 1 per current report; the total is
``100 × Σ wᵢ·xᵢ / Σ wᵢ`` over the parts that have a value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import fields as F
from .warehouse.sqlfiles import lit

PART_KEYS = ("completeness", "consistency", "timeliness", "originality")
CONSTANTS = ("error_penalty", "warning_penalty", "grace_days")


class QualityRegistryError(ValueError):
    """quality.toml is malformed (a bug in the registry, not bad input)."""


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    weight: float
    formula: str
    base: str
    notes: str


@dataclass(frozen=True)
class Registry:
    parts: dict[str, Part]
    constants: dict[str, float]
    deadline: dict[str, str]

    @property
    def total_formula(self) -> str:
        terms = " + ".join(f"{p.weight:g}×{p.label}" for p in self.parts.values())
        return f"总分 = 100 × ({terms}) ÷ 有值各项的权重之和（无值的项不计，其余项按权重重新归一）"


def _fill(text: str, constants: dict[str, float]) -> str:
    for k, v in constants.items():
        text = text.replace("{" + k + "}", f"{v:g}")
    return text


def parse_registry(text: str) -> Registry:
    data = tomllib.loads(text)
    constants = data.get("constants", {})
    if set(constants) != set(CONSTANTS) or not all(isinstance(v, (int, float)) and v > 0 for v in constants.values()):
        raise QualityRegistryError(f"quality.toml: constants must be {CONSTANTS}, each a positive number")
    parts = {}
    for entry in data.get("part", []):
        try:
            p = Part(**entry)
        except TypeError as exc:
            raise QualityRegistryError(f"quality part {entry.get('key')!r}: {exc}") from None
        if not isinstance(p.weight, (int, float)) or p.weight <= 0:
            raise QualityRegistryError(f"quality part {p.key}: weight must be positive")
        parts[p.key] = Part(p.key, p.label, float(p.weight), _fill(p.formula, constants), _fill(p.base, constants),
                            _fill(p.notes, constants))
    if tuple(parts) != PART_KEYS:
        raise QualityRegistryError(f"quality.toml: parts must be {PART_KEYS} in this order, got {tuple(parts)}")
    deadline = data.get("deadline", {})
    if not {"rule", "source", "article"} <= set(deadline):
        raise QualityRegistryError("quality.toml: [deadline] needs rule, source and article")
    return Registry(parts, {k: float(v) for k, v in constants.items()}, deadline)


@lru_cache(maxsize=1)
def registry() -> Registry:
    return parse_registry(resources.files("analytics").joinpath("spec/quality.toml").read_text(encoding="utf-8"))


def mart_slots() -> dict[str, str]:
    """The numbers report_quality.sql takes from the registry, as SQL numeric literals."""
    r = registry()
    slots = {f"w_{k}": repr(p.weight) for k, p in r.parts.items()}
    slots.update({k: repr(float(v)) for k, v in r.constants.items()})
    special: list[str] = []
    # The positions only one template (or one （六） form) has, as SQL lists of fields.csv keys.
    for name, table, template in (("active_2019", "active", "2019"), ("active_2021", "active", "2021"),
                                  ("other_three", "applications_row", "2021"),
                                  ("other_single", "applications_row", "2019")):
        keys = [f.key for f in F.all_fields() if f.table == table and f.template == template]
        slots[name] = "[" + ", ".join(lit(k) for k in keys) + "]"
        special += keys
    slots["special_keys"] = "(" + ", ".join(lit(k) for k in special) + ")"
    return slots


def definitions_table() -> list[dict]:
    """One row per part (and the total) as the page and the documents print them."""
    r = registry()
    rows = [{"part": p.label, "key": k, "weight": p.weight, "formula": p.formula, "base": p.base, "notes": p.notes}
            for k, p in r.parts.items()]
    rows.append({"part": "总分", "key": "score", "weight": sum(p.weight for p in r.parts.values()),
                 "formula": r.total_formula, "base": "各项中有值的项", "notes": "0–100，越高越好"})
    return rows


def reference_markdown() -> str:
    """The score's section of docs/evaluation.md (a test keeps the file in step with the registry)."""
    r = registry()
    lines = ["| 项 | key | 权重 | 公式 | 分母/口径 | 说明 |", "|---|---|---|---|---|---|"]
    for row in definitions_table():
        cells = [row["part"], f"`{row['key']}`", f"{row['weight']:g}", row["formula"], row["base"], row["notes"]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += ["", f"期限规则：{r.deadline['rule']}。", "",
              f"依据：{r.deadline['source']}：“{r.deadline['article']}”", "", r.deadline.get("note", "")]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
