"""Property-based tests of every parser: mutated documents never raise anything but ReportError,
and a changed table 3 or table 4 figure never passes silently.

The mutations work at the level a format is damaged in the wild: lines of flattened text deleted,
swapped, shuffled or retyped; HTML and Word table cells deleted or swapped; digits changed; bytes
flipped; files cut short. The second property builds a document whose tables satisfy (or, for the
PDF and Word builders, are known to break) the rules, changes one figure, and requires that the
record then carries a new parser warning or the warehouse's own rules a new or changed finding.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.errors import ReportError
from analytics.parsing import parse_bytes
from analytics.parsing.detect import decode_text
from fixtures.corpus import documents
from robustness_plugin import tally

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@lru_cache(maxsize=None)
def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _parse_or_refuse(data: bytes, name: str, kind: str) -> dict | None:
    """The property itself: a record or a ReportError, nothing else."""
    try:
        record = parse_bytes(data, name)
    except ReportError as exc:
        assert str(exc.message).strip() and "\n" not in exc.message.strip(), repr(exc.message)
        tally(kind, "refused")
        return None
    except Exception:
        tally(kind, "crashed")
        raise
    assert isinstance(record, dict) and record.get("schema")
    tally(kind, "read")
    return record


# ------------------------------------------------------------------ mutation operators


def _flip_bytes(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(out) - 1))
        out[i] ^= draw(st.integers(1, 255))
    return bytes(out)


def _cut(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _drop_chunk(draw, data: bytes) -> bytes:
    i = draw(st.integers(0, len(data) - 1))
    n = draw(st.integers(1, max(1, len(data) // 10)))
    return data[:i] + data[i + n:]


def _change_digits(draw, text: str) -> str:
    spots = [m.start() for m in re.finditer(r"\d", text)]
    if not spots:
        return text
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.sampled_from(spots))
        chars[i] = draw(st.sampled_from("0123456789"))
    return "".join(chars)


def _line_op(draw, lines: list[str]) -> list[str]:
    if len(lines) < 2:
        return lines
    op = draw(st.sampled_from(["delete", "swap", "shuffle", "delete_cell", "swap_cells", "duplicate"]))
    lines = list(lines)
    i = draw(st.integers(0, len(lines) - 1))
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "shuffle":
        n = draw(st.integers(2, 8))
        block = lines[i:i + n]
        lines[i:i + n] = draw(st.permutations(block))
    else:
        sep = "\t" if "\t" in lines[i] else "|" if "|" in lines[i] else " "
        fields = lines[i].split(sep)
        if len(fields) > 1:
            j = draw(st.integers(0, len(fields) - 1))
            if op == "delete_cell":
                del fields[j]
            else:
                k = draw(st.integers(0, len(fields) - 1))
                fields[j], fields[k] = fields[k], fields[j]
            lines[i] = sep.join(fields)
    return lines


def mutate_text(draw, data: bytes) -> bytes:
    text, _ = decode_text(data)
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        lines = _line_op(draw, lines)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = _change_digits(draw, text)
    out = text.encode("utf-8")
    if draw(st.integers(0, 4)) == 0:
        out = _flip_bytes(draw, out)
    return out


_TD = re.compile(r"<t[dh]\b[^>]*>.*?</t[dh]>", re.S | re.I)
_TR = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S | re.I)


def _markup_op(draw, text: str, cell: re.Pattern, row: re.Pattern) -> str:
    op = draw(st.sampled_from(["delete_cell", "swap_cells", "delete_row", "digits", "empty_cell"]))
    cells = list(cell.finditer(text))
    if op == "digits" or not cells:
        return _change_digits(draw, text)
    if op == "delete_row":
        rows = list(row.finditer(text))
        if rows:
            m = draw(st.sampled_from(rows))
            return text[:m.start()] + text[m.end():]
        return text
    a = draw(st.sampled_from(cells))
    if op == "delete_cell":
        return text[:a.start()] + text[a.end():]
    if op == "empty_cell":
        inner = re.sub(r">[^<]*<", "><", a.group(0))
        return text[:a.start()] + inner + text[a.end():]
    b = draw(st.sampled_from(cells))
    if a.start() == b.start():
        return text
    first, second = sorted((a, b), key=lambda m: m.start())
    if first.end() > second.start():
        return text
    return (text[:first.start()] + second.group(0) + text[first.end():second.start()] + first.group(0)
            + text[second.end():])


def mutate_html(draw, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="surrogateescape")
    for _ in range(draw(st.integers(1, 4))):
        text = _markup_op(draw, text, _TD, _TR)
    return _maybe_damaged(draw, text.encode("utf-8", errors="surrogateescape"))


def _maybe_damaged(draw, out: bytes) -> bytes:
    """The bytes as they are, or (one time in three) with flipped bytes or cut short."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return _flip_bytes(draw, out)
    if choice == 1:
        return _cut(draw, out)
    return out


def mutate_pdf(draw, data: bytes) -> bytes:
    op = draw(st.sampled_from(["flip", "cut", "drop", "flip_head", "duplicate"]))
    if op == "flip":
        return _flip_bytes(draw, data)
    if op == "flip_head":  # the header and first objects, where damage hurts most
        head = _flip_bytes(draw, data[:2048])
        return head + data[2048:]
    if op == "cut":
        return _cut(draw, data)
    if op == "drop":
        return _drop_chunk(draw, data)
    i = draw(st.integers(0, len(data) - 1))
    return data[:i] + data[i:i + 4096] + data[i:]


_W_TC = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_W_TR = re.compile(r"<w:tr\b[^>]*>.*?</w:tr>", re.S)


def _rezip(original: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(original))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return buf.getvalue()


def mutate_docx(draw, data: bytes) -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        xml = _markup_op(draw, xml, _W_TC, _W_TR)
    return _maybe_damaged(draw, _rezip(data, {"word/document.xml": xml.encode("utf-8")}))


# ------------------------------------------------------------------ documents to mutate


@lru_cache(maxsize=None)
def docx_report(template: str) -> bytes:
    from fixtures.docx_builders import build_report

    return build_report(template, seed=3)[0]


@lru_cache(maxsize=None)
def pdf_report(seed: int) -> bytes:
    from fixtures.pdf_builders import build_report, random_report

    return build_report(random_report(seed), ruled=seed % 2 == 0)


TEXT_FILES = documents(".txt", ".md")
HTML_FILES = documents(".html")
PDF_FILES = documents(".pdf")


@FAST
@given(st.sampled_from(TEXT_FILES), st.data())
def test_mutated_text_and_markdown_only_raise_report_error(path, data):
    mutated = mutate_text(data.draw, _bytes(path))
    _parse_or_refuse(mutated, path.name, "mutated text/markdown")


@FAST
@given(st.sampled_from(HTML_FILES), st.data())
def test_mutated_html_only_raises_report_error(path, data):
    mutated = mutate_html(data.draw, _bytes(path))
    _parse_or_refuse(mutated, path.name, "mutated HTML")


@SLOW
@given(st.sampled_from([*PDF_FILES, None]), st.data())
def test_mutated_pdf_only_raises_report_error(path, data):
    original = _bytes(path) if path else pdf_report(4)
    mutated = mutate_pdf(data.draw, original)
    _parse_or_refuse(mutated, path.name if path else "built.pdf", "mutated PDF")


@FAST
@given(st.sampled_from(["2019", "2021"]), st.data())
def test_mutated_docx_only_raises_report_error(template, data):
    mutated = mutate_docx(data.draw, docx_report(template))
    _parse_or_refuse(mutated, f"built_{template}.docx", "mutated DOCX")


# ------------------------------------------------------------------ changed figures are caught


class RuleBench:
    """An in-memory warehouse running the project's own rules on one record at a time."""

    def __init__(self):
        from analytics.warehouse.schema import ensure_schema

        self.con = duckdb.connect(":memory:")
        ensure_schema(self.con)
        self.n = 0
        self.base: dict[str, set] = {}  # findings of the unchanged documents

    def findings(self, record: dict) -> set[tuple]:
        from analytics.warehouse.loader import load_into
        from analytics.warehouse.refresh import refresh

        self.n += 1
        record = dict(record, agency=f"规则测试{self.n}号人民政府", year=record.get("year") or 2021)
        record["source"] = dict(record["source"], sha256=f"{self.n:064x}")
        outcomes, touched = load_into(self.con, [record], dataset="demo")
        assert outcomes[0].report_id is not None, outcomes[0].reason
        refresh(self.con, touched)
        # Only rules about the report itself: cross-agency ones (same prose as another bench
        # record) and cross-year ones would change with whatever was loaded before.
        rows = self.con.execute("SELECT rule, subject, expected, actual FROM findings "
                                "WHERE report_id = ? AND scope = 'report'", [outcomes[0].report_id]).fetchall()
        return {tuple(r) for r in rows}


@pytest.fixture(scope="module")
def bench():
    b = RuleBench()
    yield b
    b.con.close()


def _warnings(record: dict) -> set[tuple]:
    return {(w.get("code"), w.get("message")) for w in record["warnings"]}


def _assert_noticed(base: dict, changed: dict, bench: RuleBench, kind: str, what: str) -> None:
    """A new parser warning, else a new or changed rule finding (the rules run only when needed)."""
    if _warnings(changed) - _warnings(base):
        tally(kind, "noticed (parser warning)")
        return
    key = base["source"]["sha256"]
    if key not in bench.base:
        bench.base[key] = bench.findings(base)
    noticed = bench.findings(changed) ^ bench.base[key]
    tally(kind, "noticed (rule finding)" if noticed else "silent")
    assert noticed, f"{what} passed without a new warning or finding"


_T3_COLS = 7


def _text_record(report) -> dict:
    return parse_bytes(report.text().encode("utf-8"), "测试县人民政府.txt")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          database=None)
@given(layout=st.sampled_from(["tab", "pipe", "space", "lines"]), table=st.sampled_from(["t3", "t4"]),
       data=st.data())
def test_changed_figure_in_text_report_is_noticed(layout, table, data, bench, report_text):
    base = report_text(layout=layout)
    changed = report_text(layout=layout)
    if table == "t3":
        key = data.draw(st.sampled_from(changed.rows3()), label="row")
        col = data.draw(st.integers(0, _T3_COLS - 1), label="column")
        old = changed.t3[key][col]
        changed.t3[key][col] = data.draw(st.integers(0, 500).filter(lambda v: v != old), label="new value")
        what = f"{layout} table 3 {key}[{col}] {old}->{changed.t3[key][col]}"
    else:
        i = data.draw(st.integers(0, len(changed.t4) - 1), label="cell")
        old = changed.t4[i]
        changed.t4[i] = data.draw(st.integers(0, 500).filter(lambda v: v != old), label="new value")
        what = f"{layout} table 4 cell {i} {old}->{changed.t4[i]}"
    _assert_noticed(_text_record(base), _text_record(changed), bench, f"changed figure ({layout} text)", what)


@lru_cache(maxsize=None)
def _pdf_base_record(seed: int) -> dict:
    from fixtures.pdf_builders import build_report, random_report

    return parse_bytes(build_report(random_report(seed)), "base.pdf")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          database=None)
@given(table=st.sampled_from(["t3", "t4"]), data=st.data())
def test_changed_figure_in_pdf_report_is_noticed(table, data, bench):
    from fixtures.pdf_builders import build_report, random_report

    changed = random_report(21)
    if table == "t3":
        key = data.draw(st.sampled_from(list(changed.table3)), label="row")
        col = data.draw(st.integers(0, _T3_COLS - 1), label="column")
        old = changed.table3[key][col]
        changed.table3[key][col] = str(data.draw(st.integers(0, 500).filter(lambda v: str(v) != old)))
        what = f"pdf table 3 {key}[{col}] {old}->{changed.table3[key][col]}"
    else:
        i = data.draw(st.integers(0, len(changed.table4) - 1), label="cell")
        old = changed.table4[i]
        changed.table4[i] = str(data.draw(st.integers(0, 500).filter(lambda v: str(v) != old)))
        what = f"pdf table 4 cell {i} {old}->{changed.table4[i]}"
    r0 = _pdf_base_record(21)
    r1 = parse_bytes(build_report(changed), "changed.pdf")
    _assert_noticed(r0, r1, bench, "changed figure (PDF)", what)
