"""Reading one cell's raw text into kind and value."""

from __future__ import annotations

import pytest

from analytics.parsing.cells import normalise, read_cell


@pytest.mark.parametrize("raw, expected", [
    ("", ("blank", None)), ("  ", ("blank", None)), ("\xa0", ("blank", None)),
    ("0", ("number", 0)), ("３１１９", ("number", 3119)), ("1,234", ("number", 1234)),
    ("96171.6", ("number", 96171.6)), ("4068.208", ("number", 4068.208)),
    ("-417", ("number", -417)), ("－3", ("number", -3)), ("+5", ("number", 5)),
    ("/", ("not_applicable", None)), ("／", ("not_applicable", None)), ("—", ("not_applicable", None)),
    ("无", ("not_applicable", None)),
    ("22（其中修订16件）", ("text", 22)), ("55（含自然失效29件）", ("text", 55)), ("251000元", ("text", 251000)),
    ("75394432.52元", ("text", 75394432.52)), ("未统计", ("text", None)),
])
def test_read_cell(raw, expected):
    assert read_cell(raw) == expected


def test_normalise_removes_every_space_and_unifies_width():
    assert normalise("4.无正当理由大量反复 申请") == "4.无正当理由大量反复申请"
    assert normalise("（七）　总计") == "(七)总计"
