"""The canonical field keys and their official labels, read from ``spec/fields.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


# The three report tables, named as the record (docs/spec/report-schema.md) names them: the
# record's keys, ``Cell.table`` and the warehouse's ``cells.tbl``.
ACTIVE_DISCLOSURE = "active_disclosure"  # 表二
APPLICATIONS = "applications"  # 表三
REVIEW_LITIGATION = "review_litigation"  # 表四
REPORT_TABLES = (ACTIVE_DISCLOSURE, APPLICATIONS, REVIEW_LITIGATION)
# 信息处理费 (section 六 of the 2021 template, or a section of its own): not one of the three
# tables, but read and stored the same way (``cells.tbl``), one value per key.
PROCESSING_FEES = "processing_fees"

# fields.csv's ``table`` column names an axis (the rows or the columns of a table), not a table.
_TABLE_OF_AXIS = {"active": ACTIVE_DISCLOSURE, "applications_row": APPLICATIONS, "applications_col": APPLICATIONS,
                  "review_group": REVIEW_LITIGATION, "review_col": REVIEW_LITIGATION, "fees": PROCESSING_FEES}


def report_table(axis: str) -> str:
    """The report table a fields.csv ``table`` value (an axis) belongs to."""
    return _TABLE_OF_AXIS[axis]


@dataclass(frozen=True)
class Field:
    table: str  # the axis: applications_row, applications_col, review_group, review_col, active
    key: str
    template: str  # "2019", "2021" or "both"
    label: str
    notes: str

    @property
    def report_table(self) -> str:
        return report_table(self.table)


@lru_cache(maxsize=1)
def all_fields() -> tuple[Field, ...]:
    text = resources.files("analytics").joinpath("spec/fields.csv").read_text(encoding="utf-8")
    return tuple(
        Field(r["table"], r["key"], r["template"], r["label_zh"], r["notes"] or "")
        for r in csv.DictReader(text.splitlines())
    )


def keys(table: str, template: str | None = None) -> list[str]:
    """Keys of one fields.csv table, optionally only those used by one template."""
    return [
        f.key
        for f in all_fields()
        if f.table == table and (template is None or f.template in ("both", template))
    ]


def label(table: str, key: str) -> str:
    for f in all_fields():
        if f.table == table and f.key == key:
            return f.label
    raise KeyError((table, key))


APPLICATION_ROWS = keys("applications_row")
APPLICATION_COLS = keys("applications_col")
REVIEW_GROUPS = keys("review_group")
REVIEW_COLS = keys("review_col")
ACTIVE_KEYS = keys("active")
FEE_KEYS = keys("fees")

# The 2021 template (国办公开办函〔2021〕30号) applies to the reports of this year on; the reports
# of 2019 and 2020 follow the 2019 one. Real reports do not always follow (see the TEMPLATE_YEAR rule).
TEMPLATE_2021_FIRST_YEAR = 2021

# Rows whose sum is "other handling": the 2021 template splits it in three, the 2019 one does not.
OTHER_ROWS_2021 = ["other_no_correction", "other_no_fee", "other_misc"]
DENIED_ROWS = [k for k in APPLICATION_ROWS if k.startswith("denied_")]
UNABLE_ROWS = [k for k in APPLICATION_ROWS if k.startswith("unable_")]
REFUSED_ROWS = [k for k in APPLICATION_ROWS if k.startswith("refused_")]
# Cells that hold money rather than counts.
MONEY_KEYS = {"fees_amount", "procurement_amount"}
FEE_MONEY_KEYS = {"fee_notice_amount", "fee_collected"}
